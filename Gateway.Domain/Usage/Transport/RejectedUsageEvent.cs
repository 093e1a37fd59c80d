namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// An element of a batch that cannot be ingested (not a usage event, no event id, a claim check whose
/// blob is gone): its position, its id when readable, why, and its JSON as it came, for the poison
/// queue. The batch's other events are ingested regardless.
/// </summary>
public sealed record RejectedUsageEvent(int Index, string? EventId, string Reason, string Json);
