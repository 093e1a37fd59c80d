using Gateway.Domain.Limits;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// What the <c>events</c> row says about an event's charge: what the spend step applies. Always read
/// from the row, so a redelivery charges what was first stored even if prices changed since.
/// </summary>
public sealed record LedgerEntry(string EventId, string KeyId, string? ChargedUserId, decimal CostInUsd, long CreatedAt, bool SpendApplied, bool Inserted)
{
    /// <summary>The cost as the spend counters and running totals add it: rounded once, to whole nano-dollars.</summary>
    public long NanoUsd => SpendCounterKeys.ToNanoDollars(CostInUsd);
}
