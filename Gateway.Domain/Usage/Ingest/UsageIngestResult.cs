namespace Gateway.Domain.Usage.Ingest;

/// <summary>The outcome of one event, its id, and for a malformed one why.</summary>
public sealed record UsageIngestResult(UsageIngestOutcome Outcome, string? EventId, string? Reason = null)
{
    public static UsageIngestResult Malformed(string? eventId, string reason) => new(UsageIngestOutcome.Malformed, eventId, reason);
}
