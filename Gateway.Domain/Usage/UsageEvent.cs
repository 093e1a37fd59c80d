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

    /// <summary>PII entity types found by the policy and how often, as a JSON object (never the values).</summary>
    public string? PiiEntities { get; set; }

    /// <summary>Answered from the response cache (cost 0).</summary>
    public bool Cached { get; set; }

    public string? RouteId { get; set; }

    public string? CorrelationId { get; set; }

    /// <summary>Raw JSON object from the <c>X-METADATA</c> header.</summary>
    public string? Metadata { get; set; }

    /// <summary>Uncached prompt tokens at the input price. The five parts add up to <see cref="CostInUsd"/>.</summary>
    public decimal PromptCostInUsd { get; set; }

    /// <summary>OpenAI cached prompt tokens at the cached-input price.</summary>
    public decimal CachedPromptCostInUsd { get; set; }

    /// <summary>Completion tokens, reasoning included (each at its own price).</summary>
    public decimal CompletionCostInUsd { get; set; }

    /// <summary>Anthropic cache writes (<c>cache_creation_input_tokens</c>).</summary>
    public decimal CacheWriteCostInUsd { get; set; }

    /// <summary>Anthropic cache reads (<c>cache_read_input_tokens</c>).</summary>
    public decimal CacheReadCostInUsd { get; set; }

    /// <summary>Token counts were counted by the gateway (no provider <c>usage</c>, or the client went away), not reported.</summary>
    public bool UsageEstimated { get; set; }

    /// <summary>No price is known for the model: the cost is 0 and reports can list these events.</summary>
    public bool UnknownModel { get; set; }

    /// <summary>The cost was added to the Redis spend counters (the ledger's half of exactly-once charging).</summary>
    public bool SpendApplied { get; set; }

    /// <summary>The end user (a <c>users</c> row id) whose spend counters the event was charged to.</summary>
    public string? ChargedUserId { get; set; }
}
