using StackExchange.Redis;

namespace Gateway.Domain.Limits;

/// <summary>
/// One counter a request is checked against: its Redis key (deployment prefix included), whether it
/// is a rate window (counted) or spend (read only), the limit in requests or nano-dollars, and the
/// end of its window (none for total spend). <see cref="Name"/> is the counter's name without the
/// prefix (the local fallback's key).
/// </summary>
internal readonly record struct LimitCheck(RedisKey Key, string Name, bool IsRate, long Limit, DateTimeOffset? WindowEnd);

/// <summary>
/// A subject's limits turned into counters once, not on every request: units parsed, dollars
/// converted to nano-dollars, counter names built. A windowed counter's name changes only when its
/// window does (once a second at most), so the name of the current window is kept and rebuilt when
/// the clock enters the next one. Plans are cached by the limiter per subject and rebuilt when the
/// subject's <see cref="SubjectLimits"/> object changes (a config update replaces it).
/// </summary>
internal sealed class LimitPlan
{
    private readonly string _keyPrefix;
    private readonly string _ownerAndId;
    private readonly Windowed? _rate;
    private readonly Windowed? _spendWindow;
    private readonly LimitCheck? _spendTotal;

    public LimitPlan(LimitSubject subject, string keyPrefix)
    {
        Limits = subject.Limits;
        _keyPrefix = keyPrefix;
        _ownerAndId = SpendCounterKeys.OwnerAndId(subject.Owner, subject.Id);
        var limits = subject.Limits;
        if (limits.HasRateLimit && LimitUnits.TryParse(limits.RateLimitUnit, out var rateUnit))
        {
            _rate = new Windowed(rateUnit, limits.RateLimitOverTime!.Value, isRate: true);
        }

        if (limits.CostLimitInUsd is > 0)
        {
            var name = SpendCounterKeys.Total(subject.Owner, subject.Id);
            _spendTotal = new LimitCheck(keyPrefix + name, name, false, SpendCounterKeys.ToNanoDollars(limits.CostLimitInUsd.Value), null);
        }

        if (limits.CostLimitInUsdOverTime is > 0 && LimitUnits.TryParse(limits.CostLimitInUsdUnit, out var costUnit))
        {
            _spendWindow = new Windowed(costUnit, SpendCounterKeys.ToNanoDollars(limits.CostLimitInUsdOverTime.Value), isRate: false);
        }
    }

    /// <summary>The limits this plan was made from (compared by reference: a new object means new limits).</summary>
    public SubjectLimits Limits { get; }

    /// <summary>Adds this subject's counters at <paramref name="now"/>, in the script's order: rate, total spend, windowed spend.</summary>
    public void AddChecks(DateTimeOffset now, List<LimitCheck> checks)
    {
        if (_rate is { } rate)
        {
            checks.Add(Current(rate, now));
        }

        if (_spendTotal is { } total)
        {
            checks.Add(total);
        }

        if (_spendWindow is { } window)
        {
            checks.Add(Current(window, now));
        }
    }

    private LimitCheck Current(Windowed counter, DateTimeOffset now)
    {
        // Readers race only with a rebuild of the same window's value: either copy is correct.
        var current = Volatile.Read(ref counter.Current);
        if (current is not null && now >= current.Start && now < current.End)
        {
            return current.Check;
        }

        var (start, end) = counter.Unit.Window(now);
        var name = counter.IsRate
            ? SpendCounterKeys.Rate(_ownerAndId, counter.Unit, start)
            : SpendCounterKeys.Window(_ownerAndId, counter.Unit, start);
        var window = new CurrentWindow(start, end, new LimitCheck(_keyPrefix + name, name, counter.IsRate, counter.Limit, end));
        Volatile.Write(ref counter.Current, window);
        return window.Check;
    }

    private sealed class Windowed(LimitUnit unit, long limit, bool isRate)
    {
        public LimitUnit Unit { get; } = unit;

        public long Limit { get; } = limit;

        public bool IsRate { get; } = isRate;

        /// <summary>The counter of the window last asked for.</summary>
        public CurrentWindow? Current;
    }

    private sealed record CurrentWindow(DateTimeOffset Start, DateTimeOffset End, LimitCheck Check);
}
