using Gateway.Domain.Limits;
using Gateway.Domain.Usage.Ingest;

namespace Gateway.Domain.Usage.Spend;

/// <summary>
/// One spend counter an event adds to: the owner's total (<see cref="Unit"/> null) or one window of a
/// spend unit. The same list feeds the Redis counters and the PostgreSQL running totals, so the two
/// always hold the same sums.
/// </summary>
public readonly record struct SpendCounter(SpendCounterKeys.Owner Owner, string OwnerId, LimitUnit? Unit, DateTimeOffset WindowStart, DateTimeOffset? WindowEnd)
{
    /// <summary>Every spend unit rather than the owner's configured one: see <c>Usage/README.md</c>.</summary>
    public static readonly LimitUnit[] SpendUnits = [LimitUnit.Minute, LimitUnit.Hour, LimitUnit.Day, LimitUnit.Month];

    /// <summary>The <c>spend_totals.unit</c> of an owner's total.</summary>
    public const string TotalUnitCode = "total";

    public string UnitCode => Unit?.Code() ?? TotalUnitCode;

    public string RedisName => Unit is { } unit ? SpendCounterKeys.Window(Owner, OwnerId, unit, WindowStart) : SpendCounterKeys.Total(Owner, OwnerId);

    /// <summary>
    /// The counters an event adds to: its key's and (when charged) its end user's total, and the
    /// windows of the event's time (the request's, as the proxy checks them) that are not over yet.
    /// An event without a key (a caller's own provider key on the one API) charges no key.
    /// </summary>
    public static void AddFor(LedgerEntry entry, DateTimeOffset now, List<SpendCounter> counters)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(counters);
        if (!string.IsNullOrEmpty(entry.KeyId))
        {
            AddFor(SpendCounterKeys.Owner.Key, entry.KeyId, entry.CreatedAt, now, counters);
        }

        if (!string.IsNullOrEmpty(entry.ChargedUserId))
        {
            AddFor(SpendCounterKeys.Owner.User, entry.ChargedUserId, entry.CreatedAt, now, counters);
        }
    }

    private static void AddFor(SpendCounterKeys.Owner owner, string id, long createdAt, DateTimeOffset now, List<SpendCounter> counters)
    {
        counters.Add(new SpendCounter(owner, id, null, DateTimeOffset.UnixEpoch, null));
        var at = DateTimeOffset.FromUnixTimeSeconds(createdAt);
        foreach (var unit in SpendUnits)
        {
            var (start, end) = unit.Window(at);
            if (end > now)
            {
                counters.Add(new SpendCounter(owner, id, unit, start, end));
            }
        }
    }
}
