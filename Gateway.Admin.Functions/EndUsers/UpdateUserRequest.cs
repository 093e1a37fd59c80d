using Gateway.Admin.Functions.Limits;

namespace Gateway.Admin.Functions.EndUsers;

/// <summary>Body of <c>PATCH /api/users/{id}</c> and <c>PATCH /api/users?userId=&amp;tags=</c>: only the fields given change.</summary>
internal sealed class UpdateUserRequest : ILimitFieldsRequest
{
    public string? Name { get; set; }

    public List<string?>? Tags { get; set; }

    public List<string?>? KeyIds { get; set; }

    public bool? Revoked { get; set; }

    public string? RevokedReason { get; set; }

    public decimal? CostLimitInUsd { get; set; }

    public decimal? CostLimitInUsdOverTime { get; set; }

    public string? CostLimitInUsdUnit { get; set; }

    public int? RateLimitOverTime { get; set; }

    public string? RateLimitUnit { get; set; }

    /// <summary>An empty string removes the ttl.</summary>
    public string? Ttl { get; set; }

    public List<AllowedPathItem?>? AllowedPaths { get; set; }

    public List<string?>? AllowedModels { get; set; }
}
