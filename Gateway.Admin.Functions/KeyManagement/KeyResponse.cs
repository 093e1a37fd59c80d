using Gateway.Admin.Functions.Limits;
using Gateway.Domain.Keys;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>
/// A key as BricksLLM's <c>ResponseKey</c> shows it, without the secret or its hash. Unset
/// strings are empty, as Go's zero values were on the wire.
/// </summary>
internal sealed class KeyResponse : LimitFieldsResponse
{
    private KeyResponse(ApiKey key)
        : base(key.Limits)
    {
        KeyId = key.KeyId;
        Name = key.Name;
        Tags = key.Tags;
        CreatedAt = key.CreatedAt;
        UpdatedAt = key.UpdatedAt;
        Revoked = key.Revoked;
        RevokedReason = key.RevokedReason ?? string.Empty;
        SettingId = key.SettingIds.FirstOrDefault() ?? string.Empty;
        SettingIds = key.SettingIds;
        ShouldLogRequest = key.ShouldLogRequest;
        ShouldLogResponse = key.ShouldLogResponse;
        RotationEnabled = key.RotationEnabled;
        PolicyId = key.PolicyId ?? string.Empty;
        CacheMode = key.CacheMode ?? "auto";
        CacheTtl = key.CacheTtl ?? string.Empty;
        CacheScope = key.CacheScope ?? "key";
    }

    public string KeyId { get; }

    public string Name { get; }

    public List<string> Tags { get; }

    public long CreatedAt { get; }

    public long UpdatedAt { get; }

    public bool Revoked { get; }

    public string RevokedReason { get; }

    /// <summary>The first of <see cref="SettingIds"/>, for scripts written against the deprecated field.</summary>
    public string SettingId { get; }

    public List<string> SettingIds { get; }

    public bool ShouldLogRequest { get; }

    public bool ShouldLogResponse { get; }

    public bool RotationEnabled { get; }

    public string PolicyId { get; }

    /// <summary>Response cache defaults: mode, ttl (empty = the gateway's default) and scope (<c>key</c> or <c>tag:&lt;tag&gt;</c>).</summary>
    public string CacheMode { get; }

    public string CacheTtl { get; }

    public string CacheScope { get; }

    /// <summary>Always false: keys are always hashed.</summary>
    public bool IsKeyNotHashed { get; }

    public static KeyResponse From(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new KeyResponse(key);
    }
}
