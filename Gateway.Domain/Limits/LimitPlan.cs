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
/// A subject's limits turned into the limits script's input once, not on every request: units
/// parsed, dollars converted to nano-dollars, counter names, keys and arguments built. Windowed
/// counters change name only when their window does (once a second at most), so the input of the
/// current windows is kept, shared by every request in them (nobody writes to it), and rebuilt when
/// the clock leaves them. Plans are cached by the limiter per subject and rebuilt when the subject's
/// <see cref="SubjectLimits"/> object changes (a config update replaces it).
/// </summary>
internal sealed class LimitPlan
{
    private readonly string _keyPrefix;
    private readonly string _ownerAndId;
    private readonly (LimitUnit Unit, long Limit)? _rate;
    private readonly (LimitUnit Unit, long Limit)? _spendWindow;
    private readonly LimitCheck? _spendTotal;
    private Prepared? _current;

    public LimitPlan(LimitSubject subject, string keyPrefix)
    {
        Limits = subject.Limits;
        _keyPrefix = keyPrefix;
        _ownerAndId = SpendCounterKeys.OwnerAndId(subject.Owner, subject.Id);
        var limits = subject.Limits;
        if (limits.HasRateLimit && LimitUnits.TryParse(limits.RateLimitUnit, out var rateUnit))
        {
            _rate = (rateUnit, limits.RateLimitOverTime!.Value);
        }

        if (limits.CostLimitInUsd is > 0)
        {
            var name = SpendCounterKeys.Total(subject.Owner, subject.Id);
            _spendTotal = new LimitCheck(keyPrefix + name, name, false, SpendCounterKeys.ToNanoDollars(limits.CostLimitInUsd.Value), null);
        }

        if (limits.CostLimitInUsdOverTime is > 0 && LimitUnits.TryParse(limits.CostLimitInUsdUnit, out var costUnit))
        {
            _spendWindow = (costUnit, SpendCounterKeys.ToNanoDollars(limits.CostLimitInUsdOverTime.Value));
        }
    }

    /// <summary>The limits this plan was made from (compared by reference: a new object means new limits).</summary>
    public SubjectLimits Limits { get; }

    /// <summary>This subject's counters at <paramref name="now"/>, in the script's order (rate, total spend, windowed spend), and the script's keys and arguments for them.</summary>
    public Prepared At(DateTimeOffset now)
    {
        // Readers race only with a rebuild for the same windows: either copy is correct.
        var current = Volatile.Read(ref _current);
        if (current is not null && now >= current.From && now < current.Until)
        {
            return current;
        }

        current = Build(now);
        Volatile.Write(ref _current, current);
        return current;
    }

    private Prepared Build(DateTimeOffset now)
    {
        var checks = new List<LimitCheck>(3);
        var from = DateTimeOffset.MinValue;
        var until = DateTimeOffset.MaxValue;
        if (_rate is { } rate)
        {
            checks.Add(Windowed(rate.Unit, rate.Limit, isRate: true, now, ref from, ref until));
        }

        if (_spendTotal is { } total)
        {
            checks.Add(total);
        }

        if (_spendWindow is { } window)
        {
            checks.Add(Windowed(window.Unit, window.Limit, isRate: false, now, ref from, ref until));
        }

        return new Prepared([.. checks], from, until);
    }

    private LimitCheck Windowed(LimitUnit unit, long limit, bool isRate, DateTimeOffset now, ref DateTimeOffset from, ref DateTimeOffset until)
    {
        var (start, end) = unit.Window(now);
        from = start > from ? start : from;
        until = end < until ? end : until;
        var name = isRate ? SpendCounterKeys.Rate(_ownerAndId, unit, start) : SpendCounterKeys.Window(_ownerAndId, unit, start);
        return new LimitCheck(_keyPrefix + name, name, isRate, limit, end);
    }

    /// <summary>The script's input for one subject, valid from <see cref="From"/> until <see cref="Until"/>; read only.</summary>
    internal sealed class Prepared
    {
        public Prepared(LimitCheck[] checks, DateTimeOffset from, DateTimeOffset until)
        {
            Checks = checks;
            From = from;
            Until = until;
            Keys = new RedisKey[checks.Length];
            Args = new RedisValue[checks.Length * 3];
            for (var i = 0; i < checks.Length; i++)
            {
                Keys[i] = checks[i].Key;
                Args[(i * 3) + 0] = checks[i].IsRate ? 1 : 2;
                Args[(i * 3) + 1] = checks[i].Limit;
                Args[(i * 3) + 2] = checks[i].WindowEnd?.ToUnixTimeSeconds() ?? 0;
            }
        }

        public LimitCheck[] Checks { get; }

        public RedisKey[] Keys { get; }

        /// <summary>Per counter: kind (1 rate, 2 spend), limit, window end in Unix seconds (0 for none).</summary>
        public RedisValue[] Args { get; }

        public DateTimeOffset From { get; }

        public DateTimeOffset Until { get; }
    }
}
