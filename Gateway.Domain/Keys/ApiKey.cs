namespace Gateway.Domain.Keys;

/// <summary>A gateway-issued API key. The raw key is never stored: only its SHA-256 hash.</summary>
public sealed class ApiKey
{
    public required string KeyId { get; set; }

    public required string Name { get; set; }

    /// <summary>Lowercase hex SHA-256 of the raw key (BricksLLM's hashing, so imports keep working).</summary>
    public required string KeyHash { get; set; }

    public List<string> Tags { get; set; } = [];

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    public bool Revoked { get; set; }

    public string? RevokedReason { get; set; }

    public decimal? CostLimitInUsd { get; set; }

    public decimal? CostLimitInUsdOverTime { get; set; }

    /// <summary><c>m</c>, <c>h</c>, <c>d</c> or <c>mo</c>.</summary>
    public string? CostLimitInUsdUnit { get; set; }

    public int? RateLimitOverTime { get; set; }

    /// <summary><c>s</c>, <c>m</c>, <c>h</c> or <c>d</c>.</summary>
    public string? RateLimitUnit { get; set; }

    /// <summary>Go-style duration counted from <see cref="CreatedAt"/>, e.g. <c>2h</c>.</summary>
    public string? Ttl { get; set; }

    public List<string> SettingIds { get; set; } = [];

    public List<AllowedPath> AllowedPaths { get; set; } = [];

    public bool ShouldLogRequest { get; set; }

    public bool ShouldLogResponse { get; set; }

    public bool RotationEnabled { get; set; }

    public string? PolicyId { get; set; }
}
