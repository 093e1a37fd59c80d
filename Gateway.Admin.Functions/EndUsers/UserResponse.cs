using Gateway.Domain.Keys;
using Gateway.Domain.Users;

namespace Gateway.Admin.Functions.EndUsers;

/// <summary>A user as BricksLLM shows it; unset limits are 0 and unset strings empty.</summary>
internal sealed class UserResponse
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string UserId { get; init; }

    public required List<string> Tags { get; init; }

    public required List<string> KeyIds { get; init; }

    public bool Revoked { get; init; }

    public required string RevokedReason { get; init; }

    public decimal CostLimitInUsd { get; init; }

    public decimal CostLimitInUsdOverTime { get; init; }

    public required string CostLimitInUsdUnit { get; init; }

    public int RateLimitOverTime { get; init; }

    public required string RateLimitUnit { get; init; }

    public required string Ttl { get; init; }

    public required List<AllowedPath> AllowedPaths { get; init; }

    public required List<string> AllowedModels { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public static UserResponse From(User user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return new UserResponse
        {
            Id = user.Id,
            Name = user.Name,
            UserId = user.UserId,
            Tags = user.Tags,
            KeyIds = user.KeyIds,
            Revoked = user.Revoked,
            RevokedReason = user.RevokedReason ?? string.Empty,
            CostLimitInUsd = user.CostLimitInUsd ?? 0,
            CostLimitInUsdOverTime = user.CostLimitInUsdOverTime ?? 0,
            CostLimitInUsdUnit = user.CostLimitInUsdUnit ?? string.Empty,
            RateLimitOverTime = user.RateLimitOverTime ?? 0,
            RateLimitUnit = user.RateLimitUnit ?? string.Empty,
            Ttl = user.Ttl ?? string.Empty,
            AllowedPaths = user.AllowedPaths,
            AllowedModels = user.AllowedModels,
            CreatedAt = user.CreatedAt,
            UpdatedAt = user.UpdatedAt,
        };
    }
}
