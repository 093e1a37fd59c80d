namespace Gateway.Domain.Usage.Ingest;

/// <summary>The outcome of one message, its event id when known, and for a malformed one why.</summary>
public sealed record UsageIngestResult(UsageIngestOutcome Outcome, string? EventId, string? Reason = null)
{
    /// <summary>Settle the message (complete / delete): it is stored and charged.</summary>
    public bool IsDone => Outcome != UsageIngestOutcome.Malformed;

    public static UsageIngestResult Malformed(string? eventId, string reason) => new(UsageIngestOutcome.Malformed, eventId, reason);
}
