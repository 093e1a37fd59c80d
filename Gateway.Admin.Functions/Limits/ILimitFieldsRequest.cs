namespace Gateway.Admin.Functions.Limits;

/// <summary>The limit fields keys and users share, as sent by a client (null: not given).</summary>
internal interface ILimitFieldsRequest
{
    decimal? CostLimitInUsd { get; }

    decimal? CostLimitInUsdOverTime { get; }

    string? CostLimitInUsdUnit { get; }

    int? RateLimitOverTime { get; }

    string? RateLimitUnit { get; }

    string? Ttl { get; }

    List<AllowedPathItem?>? AllowedPaths { get; }
}
