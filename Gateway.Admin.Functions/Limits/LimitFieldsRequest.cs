namespace Gateway.Admin.Functions.Limits;

/// <summary>
/// The limit fields of a key or user body, as BricksLLM's JSON has them (null: not given).
/// Validated into a <see cref="Gateway.Domain.Limits.SubjectLimits"/> by <see cref="LimitFields"/>.
/// </summary>
internal abstract class LimitFieldsRequest
{
    public decimal? CostLimitInUsd { get; set; }

    public decimal? CostLimitInUsdOverTime { get; set; }

    public string? CostLimitInUsdUnit { get; set; }

    public int? RateLimitOverTime { get; set; }

    public string? RateLimitUnit { get; set; }

    /// <summary>On update, an empty string removes the ttl.</summary>
    public string? Ttl { get; set; }

    public List<AllowedPathItem?>? AllowedPaths { get; set; }
}
