using Gateway.Admin.Functions.Limits;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>Body of <c>PUT /api/key-management/keys</c> (BricksLLM's <c>RequestKey</c>).</summary>
internal class CreateKeyRequest : LimitFieldsRequest
{
    public string? Name { get; set; }

    /// <summary>The secret clients will send; stored only as its SHA-256.</summary>
    public string? Key { get; set; }

    public List<string?>? Tags { get; set; }

    /// <summary>Deprecated by BricksLLM; merged into <see cref="SettingIds"/>.</summary>
    public string? SettingId { get; set; }

    public List<string?>? SettingIds { get; set; }

    public bool? ShouldLogRequest { get; set; }

    public bool? ShouldLogResponse { get; set; }

    public bool? RotationEnabled { get; set; }

    public string? PolicyId { get; set; }

    /// <summary>Response cache defaults (<see cref="KeyCacheFields"/>).</summary>
    public string? CacheMode { get; set; }

    public string? CacheTtl { get; set; }

    public string? CacheScope { get; set; }

    /// <summary>Accepted for compatibility and ignored: keys are always stored hashed.</summary>
    public bool? IsKeyNotHashed { get; set; }
}
