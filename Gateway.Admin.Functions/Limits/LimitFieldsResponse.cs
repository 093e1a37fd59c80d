using Gateway.Domain.Keys;
using Gateway.Domain.Limits;

namespace Gateway.Admin.Functions.Limits;

/// <summary>
/// The limit fields of a key or user as BricksLLM shows them: unset limits are 0 and unset
/// strings empty, as Go's zero values were on the wire.
/// </summary>
internal abstract class LimitFieldsResponse
{
    protected LimitFieldsResponse(SubjectLimits limits)
    {
        ArgumentNullException.ThrowIfNull(limits);
        CostLimitInUsd = limits.CostLimitInUsd ?? 0;
        CostLimitInUsdOverTime = limits.CostLimitInUsdOverTime ?? 0;
        CostLimitInUsdUnit = limits.CostLimitInUsdUnit ?? string.Empty;
        RateLimitOverTime = limits.RateLimitOverTime ?? 0;
        RateLimitUnit = limits.RateLimitUnit ?? string.Empty;
        Ttl = limits.Ttl ?? string.Empty;
        AllowedPaths = limits.AllowedPaths;
    }

    public decimal CostLimitInUsd { get; }

    public decimal CostLimitInUsdOverTime { get; }

    public string CostLimitInUsdUnit { get; }

    public int RateLimitOverTime { get; }

    public string RateLimitUnit { get; }

    public string Ttl { get; }

    public List<AllowedPath> AllowedPaths { get; }
}
