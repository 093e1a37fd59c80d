using System.Text.Json.Serialization;
using Gateway.Domain.Keys;

namespace Gateway.Domain.Limits;

/// <summary>
/// The limits of a subject (a key or an end user), stored in the subject's own row (an EF Core
/// complex type, <see cref="SubjectLimitsMapping"/>) and carried whole in the config cache.
/// Null means "no limit". Adding a limit is a property here, its column in the mapping and a migration.
/// </summary>
public sealed record SubjectLimits
{
    public decimal? CostLimitInUsd { get; set; }

    public decimal? CostLimitInUsdOverTime { get; set; }

    /// <summary><c>m</c>, <c>h</c>, <c>d</c> or <c>mo</c>.</summary>
    public string? CostLimitInUsdUnit { get; set; }

    public int? RateLimitOverTime { get; set; }

    /// <summary><c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>.</summary>
    public string? RateLimitUnit { get; set; }

    /// <summary>Go-style duration counted from the subject's <c>createdAt</c>, e.g. <c>2h</c>.</summary>
    public string? Ttl { get; set; }

    /// <summary>Empty: every path.</summary>
    public List<AllowedPath> AllowedPaths { get; set; } = [];

    [JsonIgnore]
    public bool HasRateLimit => RateLimitOverTime is > 0 && LimitUnits.TryParse(RateLimitUnit, out _);

    [JsonIgnore]
    public bool HasSpendLimit => CostLimitInUsd is > 0 || (CostLimitInUsdOverTime is > 0 && LimitUnits.TryParse(CostLimitInUsdUnit, out _));

    [JsonIgnore]
    public bool HasAnyLimit => HasRateLimit || HasSpendLimit;
}
