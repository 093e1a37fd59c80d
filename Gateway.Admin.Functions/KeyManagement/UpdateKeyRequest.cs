using Gateway.Admin.Functions.Limits;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>Body of <c>PATCH /api/key-management/keys/{keyId}</c>: only the fields given change.</summary>
internal sealed class UpdateKeyRequest : ILimitFieldsRequest
{
    public string? Name { get; set; }

    /// <summary>Refused: the secret of a key cannot change (create a new key instead).</summary>
    public string? Key { get; set; }

    public List<string?>? Tags { get; set; }

    public string? SettingId { get; set; }

    public List<string?>? SettingIds { get; set; }

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

    public bool? ShouldLogRequest { get; set; }

    public bool? ShouldLogResponse { get; set; }

    public bool? RotationEnabled { get; set; }

    public string? PolicyId { get; set; }

    public bool? IsKeyNotHashed { get; set; }
}
