using Gateway.Domain.Keys;
using Gateway.Domain.Users;

namespace Gateway.Admin.Functions.Limits;

/// <summary>Validated limit fields, in storage form: null means "no limit".</summary>
internal sealed record LimitSettings(
    decimal? CostLimitInUsd,
    decimal? CostLimitInUsdOverTime,
    string? CostLimitInUsdUnit,
    int? RateLimitOverTime,
    string? RateLimitUnit,
    string? Ttl,
    List<AllowedPath> AllowedPaths)
{
    public static LimitSettings Of(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new(key.CostLimitInUsd, key.CostLimitInUsdOverTime, key.CostLimitInUsdUnit, key.RateLimitOverTime, key.RateLimitUnit, key.Ttl, key.AllowedPaths);
    }

    public static LimitSettings Of(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new(user.CostLimitInUsd, user.CostLimitInUsdOverTime, user.CostLimitInUsdUnit, user.RateLimitOverTime, user.RateLimitUnit, user.Ttl, user.AllowedPaths);
    }

    public void ApplyTo(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        key.CostLimitInUsd = CostLimitInUsd;
        key.CostLimitInUsdOverTime = CostLimitInUsdOverTime;
        key.CostLimitInUsdUnit = CostLimitInUsdUnit;
        key.RateLimitOverTime = RateLimitOverTime;
        key.RateLimitUnit = RateLimitUnit;
        key.Ttl = Ttl;
        key.AllowedPaths = AllowedPaths;
    }

    public void ApplyTo(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        user.CostLimitInUsd = CostLimitInUsd;
        user.CostLimitInUsdOverTime = CostLimitInUsdOverTime;
        user.CostLimitInUsdUnit = CostLimitInUsdUnit;
        user.RateLimitOverTime = RateLimitOverTime;
        user.RateLimitUnit = RateLimitUnit;
        user.Ttl = Ttl;
        user.AllowedPaths = AllowedPaths;
    }
}
