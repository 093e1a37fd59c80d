using System.Text.Json.Serialization;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// One bucket (and, when grouped, one group within it) of <c>/api/reporting/events</c>. Sums, not
/// averages: <c>latencyInMs</c> is the total latency of the bucket's requests, as in BricksLLM.
/// The group fields appear only when the request groups by them; a null group value is <c>""</c>.
/// </summary>
internal sealed class DataPoint
{
    public long TimeStamp { get; init; }

    public long NumberOfRequests { get; init; }

    public double CostInUsd { get; init; }

    public long LatencyInMs { get; init; }

    public long PromptTokenCount { get; init; }

    public long CompletionTokenCount { get; init; }

    public long SuccessCount { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Model { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KeyId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? CustomId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? UserId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Provider { get; init; }

    /// <summary>With the <c>cached</c> group: whether these requests were answered by the response cache (cost 0).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? Cached { get; init; }
}
