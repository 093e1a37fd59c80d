using System.Linq.Expressions;
using System.Text.Json.Serialization;
using Gateway.Domain.Usage;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// An event as BricksLLM's admin API shows it: snake_case plus the camelCase fields it added later.
/// Every field is always present (Go has no <c>omitempty</c> here): absent strings are <c>""</c>,
/// absent bodies are <c>null</c>. <c>request</c>, <c>response</c> and <c>metadata</c> are JSON values.
/// </summary>
internal sealed class EventBody
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("created_at")]
    public long CreatedAt { get; init; }

    [JsonPropertyName("tags")]
    public required List<string> Tags { get; init; }

    [JsonPropertyName("key_id")]
    public required string KeyId { get; init; }

    [JsonPropertyName("cost_in_usd")]
    public double CostInUsd { get; init; }

    [JsonPropertyName("provider")]
    public required string Provider { get; init; }

    [JsonPropertyName("model")]
    public required string Model { get; init; }

    [JsonPropertyName("status")]
    public int Status { get; init; }

    [JsonPropertyName("prompt_token_count")]
    public int PromptTokenCount { get; init; }

    [JsonPropertyName("completion_token_count")]
    public int CompletionTokenCount { get; init; }

    [JsonPropertyName("latency_in_ms")]
    public int LatencyInMs { get; init; }

    [JsonPropertyName("path")]
    public required string Path { get; init; }

    [JsonPropertyName("method")]
    public required string Method { get; init; }

    [JsonPropertyName("custom_id")]
    public required string CustomId { get; init; }

    [JsonPropertyName("request")]
    [JsonConverter(typeof(RawJsonConverter))]
    public string? Request { get; init; }

    [JsonPropertyName("response")]
    [JsonConverter(typeof(RawJsonConverter))]
    public string? Response { get; init; }

    [JsonPropertyName("userId")]
    public required string UserId { get; init; }

    [JsonPropertyName("action")]
    public required string Action { get; init; }

    [JsonPropertyName("policyId")]
    public required string PolicyId { get; init; }

    [JsonPropertyName("routeId")]
    public required string RouteId { get; init; }

    [JsonPropertyName("correlationId")]
    public required string CorrelationId { get; init; }

    [JsonPropertyName("metadata")]
    [JsonConverter(typeof(RawJsonConverter))]
    public string? Metadata { get; init; }

    /// <summary>
    /// The listings' projection: EF reads only these columns (not the whole row) and maps nulls in SQL.
    /// The cost is converted in .NET, like every other cost the analytics endpoints return.
    /// </summary>
    public static readonly Expression<Func<UsageEvent, EventBody>> FromEvent = e => new EventBody
    {
        Id = e.EventId,
        CreatedAt = e.CreatedAt,
        Tags = e.Tags,
        KeyId = e.KeyId,
        CostInUsd = ToDouble(e.CostInUsd),
        Provider = e.Provider,
        Model = e.Model,
        Status = e.StatusCode,
        PromptTokenCount = e.PromptTokenCount,
        CompletionTokenCount = e.CompletionTokenCount,
        LatencyInMs = e.LatencyInMs,
        Path = e.Path,
        Method = e.Method,
        CustomId = e.CustomId ?? string.Empty,
        Request = e.Request,
        Response = e.Response,
        UserId = e.UserId ?? string.Empty,
        Action = e.Action ?? string.Empty,
        PolicyId = e.PolicyId ?? string.Empty,
        RouteId = e.RouteId ?? string.Empty,
        CorrelationId = e.CorrelationId ?? string.Empty,
        Metadata = e.Metadata,
    };

    private static double ToDouble(decimal value) => (double)value;
}
