using Gateway.Domain.Usage.Transport;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// What ingesting one queue message did: each good event's outcome, the elements that went to the
/// poison queue, or (<see cref="Error"/>) why the message as a whole could not be read. Transient
/// failures (PostgreSQL, Redis, Storage) are exceptions instead: retry the message.
/// </summary>
public sealed record UsageBatchResult(string? BatchId, IReadOnlyList<UsageIngestResult> Events, IReadOnlyList<RejectedUsageEvent> Rejected, string? Error)
{
    /// <summary>Settle the message (complete / delete): its events are stored and charged, its bad elements poisoned.</summary>
    public bool IsDone => Error is null;
}
