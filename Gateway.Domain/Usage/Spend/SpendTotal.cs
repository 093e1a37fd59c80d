namespace Gateway.Domain.Usage.Spend;

/// <summary>
/// A running total of applied spend in PostgreSQL: a key's or end user's total (<c>unit</c>
/// <c>total</c>, window 0) or one window of a spend unit. Ingest adds to it in the transaction that
/// marks events applied; the refresh timer rebuilds the Redis counters from it.
/// </summary>
public sealed class SpendTotal
{
    /// <summary><c>key</c> or <c>user</c>.</summary>
    public required string OwnerKind { get; set; }

    public required string OwnerId { get; set; }

    /// <summary><c>total</c>, <c>m</c>, <c>h</c>, <c>d</c> or <c>mo</c>.</summary>
    public required string Unit { get; set; }

    /// <summary>Unix seconds; 0 for a total.</summary>
    public long WindowStart { get; set; }

    public long NanoUsd { get; set; }
}
