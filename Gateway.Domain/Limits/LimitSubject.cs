using Gateway.Domain.Keys;

namespace Gateway.Domain.Limits;

/// <summary>Whose limits a request counts against (a key, or an end user) and what they are.</summary>
public sealed record LimitSubject(
    SpendCounterKeys.Owner Owner,
    string Id,
    decimal? CostLimitInUsd,
    decimal? CostLimitInUsdOverTime,
    string? CostLimitInUsdUnit,
    int? RateLimitOverTime,
    string? RateLimitUnit)
{
    public static LimitSubject For(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(SpendCounterKeys.Owner.Key, key.KeyId, key.CostLimitInUsd, key.CostLimitInUsdOverTime, key.CostLimitInUsdUnit, key.RateLimitOverTime, key.RateLimitUnit);
    }

    public static LimitSubject For(Users.User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(SpendCounterKeys.Owner.User, user.Id, user.CostLimitInUsd, user.CostLimitInUsdOverTime, user.CostLimitInUsdUnit, user.RateLimitOverTime, user.RateLimitUnit);
    }

    public bool HasRateLimit => RateLimitOverTime is > 0 && LimitUnits.TryParse(RateLimitUnit, out _);

    public bool HasSpendLimit => CostLimitInUsd is > 0 || (CostLimitInUsdOverTime is > 0 && LimitUnits.TryParse(CostLimitInUsdUnit, out _));

    public bool HasAnyLimit => HasRateLimit || HasSpendLimit;
}
