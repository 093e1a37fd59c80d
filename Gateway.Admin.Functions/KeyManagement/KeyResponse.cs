using Gateway.Domain.Keys;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>
/// A key as BricksLLM's <c>ResponseKey</c> shows it, without the secret or its hash. Unset
/// limits are 0 and unset strings empty, as Go's zero values were on the wire.
/// </summary>
internal sealed class KeyResponse
{
    public required string KeyId { get; init; }

    public required string Name { get; init; }

    public required List<string> Tags { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public bool Revoked { get; init; }

    public required string RevokedReason { get; init; }

    public decimal CostLimitInUsd { get; init; }

    public decimal CostLimitInUsdOverTime { get; init; }

    public required string CostLimitInUsdUnit { get; init; }

    public int RateLimitOverTime { get; init; }

    public required string RateLimitUnit { get; init; }

    public required string Ttl { get; init; }

    /// <summary>The first of <see cref="SettingIds"/>, for scripts written against the deprecated field.</summary>
    public required string SettingId { get; init; }

    public required List<string> SettingIds { get; init; }

    public required List<AllowedPath> AllowedPaths { get; init; }

    public bool ShouldLogRequest { get; init; }

    public bool ShouldLogResponse { get; init; }

    public bool RotationEnabled { get; init; }

    public required string PolicyId { get; init; }

    /// <summary>Always false: keys are always hashed.</summary>
    public bool IsKeyNotHashed { get; init; }

    public static KeyResponse From(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new KeyResponse
        {
            KeyId = key.KeyId,
            Name = key.Name,
            Tags = key.Tags,
            CreatedAt = key.CreatedAt,
            UpdatedAt = key.UpdatedAt,
            Revoked = key.Revoked,
            RevokedReason = key.RevokedReason ?? string.Empty,
            CostLimitInUsd = key.CostLimitInUsd ?? 0,
            CostLimitInUsdOverTime = key.CostLimitInUsdOverTime ?? 0,
            CostLimitInUsdUnit = key.CostLimitInUsdUnit ?? string.Empty,
            RateLimitOverTime = key.RateLimitOverTime ?? 0,
            RateLimitUnit = key.RateLimitUnit ?? string.Empty,
            Ttl = key.Ttl ?? string.Empty,
            SettingId = key.SettingIds.FirstOrDefault() ?? string.Empty,
            SettingIds = key.SettingIds,
            AllowedPaths = key.AllowedPaths,
            ShouldLogRequest = key.ShouldLogRequest,
            ShouldLogResponse = key.ShouldLogResponse,
            RotationEnabled = key.RotationEnabled,
            PolicyId = key.PolicyId ?? string.Empty,
        };
    }
}
