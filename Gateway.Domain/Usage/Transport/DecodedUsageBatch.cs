namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// A queue message decoded: the events that parsed, the elements that did not, or, when the message
/// as a whole is unreadable (not JSON, an envelope version this ingest does not know), why.
/// </summary>
public sealed record DecodedUsageBatch(string? BatchId, IReadOnlyList<UsageEventMessage> Events, IReadOnlyList<RejectedUsageEvent> Rejected, string? Error)
{
    public static DecodedUsageBatch Unreadable(string error) => new(null, [], [], error);
}
