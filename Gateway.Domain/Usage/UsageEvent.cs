namespace Gateway.Domain.Usage;

/// <summary>One proxied request, priced: the ledger row behind analytics and spend.</summary>
public sealed class UsageEvent
{
    /// <summary>Unique per request; the idempotency key of the whole usage pipeline.</summary>
    public required string EventId { get; set; }

    /// <summary>Unix seconds.</summary>
    public long CreatedAt { get; set; }

    public List<string> Tags { get; set; } = [];

    public string KeyId { get; set; } = string.Empty;

    public decimal CostInUsd { get; set; }

    public string Provider { get; set; } = string.Empty;

    public string Model { get; set; } = string.Empty;

    public int StatusCode { get; set; }

    public int PromptTokenCount { get; set; }

    public int CompletionTokenCount { get; set; }

    public int LatencyInMs { get; set; }

    public string Path { get; set; } = string.Empty;

    public string Method { get; set; } = string.Empty;

    public string? CustomId { get; set; }

    /// <summary>Raw JSON, stored only when the key has <c>shouldLogRequest</c>.</summary>
    public string? Request { get; set; }

    /// <summary>Raw JSON, stored only when the key has <c>shouldLogResponse</c>.</summary>
    public string? Response { get; set; }

    public string? UserId { get; set; }

    /// <summary><c>allowed</c>, <c>blocked</c>, <c>warned</c> or <c>redacted</c>.</summary>
    public string? Action { get; set; }

    public string? PolicyId { get; set; }

    public string? RouteId { get; set; }

    public string? CorrelationId { get; set; }

    /// <summary>Raw JSON object from the <c>X-METADATA</c> header.</summary>
    public string? Metadata { get; set; }
}
