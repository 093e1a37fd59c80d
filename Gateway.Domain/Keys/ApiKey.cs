using Gateway.Domain.Limits;

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

    /// <summary>Rate and spend limits, ttl (from <see cref="CreatedAt"/>) and allowed paths.</summary>
    public SubjectLimits Limits { get; set; } = new();

    public List<string> SettingIds { get; set; } = [];

    public bool ShouldLogRequest { get; set; }

    public bool ShouldLogResponse { get; set; }

    public bool RotationEnabled { get; set; }

    public string? PolicyId { get; set; }

    /// <summary>Response cache mode when the request names none: <c>auto</c>, <c>always</c> or <c>never</c>; null = <c>auto</c>.</summary>
    public string? CacheMode { get; set; }

    /// <summary>How long this key's cached answers live (Go duration, e.g. <c>24h</c>); null = <c>Cache__DefaultTtl</c>.</summary>
    public string? CacheTtl { get; set; }

    /// <summary>Whose entries this key shares: null (its own) or <c>tag:&lt;tag&gt;</c> (every key of that tag that opted in).</summary>
    public string? CacheScope { get; set; }
}
