using Gateway.Admin.Functions.Http;
using Gateway.Admin.Functions.Limits;
using Gateway.Domain.Keys;
using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>Validation of key bodies into <see cref="ApiKey"/> changes. The raw key is hashed here and then forgotten.</summary>
internal sealed class KeyInput(GatewayDbContext db, TimeProvider time)
{
    public const int MaxNameLength = 256;
    public const int MaxTagLength = 256;
    public const int MaxIdLength = 64;
    public const int MaxRawKeyLength = 4096;
    public const string DuplicateKeyMessage = "is already used by another key: every key's secret must be unique";

    public async Task<ApiKey?> CreateAsync(CreateKeyRequest request, FieldErrors errors, CancellationToken ct)
    {
        var name = errors.Required("name", request.Name, MaxNameLength);
        if (string.IsNullOrEmpty(request.Key))
        {
            errors.Add("key", "is required: it is the secret clients will send");
        }
        else if (request.Key.Length > MaxRawKeyLength)
        {
            errors.Add("key", $"must be at most {MaxRawKeyLength} characters");
        }

        var tags = errors.Strings("tags", request.Tags, MaxTagLength) ?? [];
        var settingIds = MergeSettingIds(errors, request.SettingId, request.SettingIds);
        if (settingIds is null or { Count: 0 })
        {
            errors.Add("settingIds", "is required: the ids of the provider settings this key may use");
        }

        var limits = LimitFields.ForCreate(request, errors);
        var policyId = errors.Optional("policyId", request.PolicyId, MaxIdLength);
        if (errors.Any)
        {
            return null;
        }

        await CheckSettingsExistAsync(settingIds!, errors, ct);
        await CheckPolicyExistsAsync(policyId, errors, ct);
        var hash = ApiKeyHash.Compute(request.Key!).ToHex();
        if (await db.Keys.AnyAsync(k => k.KeyHash == hash, ct))
        {
            errors.Add("key", DuplicateKeyMessage);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var key = new ApiKey
        {
            KeyId = Guid.NewGuid().ToString(),
            Name = name,
            KeyHash = hash,
            Tags = tags,
            CreatedAt = now,
            UpdatedAt = now,
            SettingIds = settingIds!,
            Limits = limits,
            ShouldLogRequest = request.ShouldLogRequest ?? false,
            ShouldLogResponse = request.ShouldLogResponse ?? false,
            RotationEnabled = request.RotationEnabled ?? false,
            PolicyId = policyId,
        };
        KeyCacheFields.Apply(request, key, errors);
        return errors.Any ? null : key;
    }

    public async Task UpdateAsync(UpdateKeyRequest request, ApiKey key, FieldErrors errors, CancellationToken ct)
    {
        if (request.Key is not null)
        {
            errors.Add("key", "cannot be changed: create a new key and delete this one");
        }

        var name = request.Name is null ? null : errors.Required("name", request.Name, MaxNameLength);
        var tags = errors.Strings("tags", request.Tags, MaxTagLength);
        var settingIds = MergeSettingIds(errors, request.SettingId, request.SettingIds);
        if (settingIds is { Count: 0 })
        {
            errors.Add("settingIds", "must not be empty: a key needs at least one provider setting");
        }

        var limits = LimitFields.ForUpdate(request, key.Limits, errors);
        var revokedReason = request.RevokedReason is null ? null : errors.Optional("revokedReason", request.RevokedReason, 1024);
        var policyId = request.PolicyId is null ? null : errors.Optional("policyId", request.PolicyId, MaxIdLength);
        if (!errors.Any && settingIds is { Count: > 0 })
        {
            await CheckSettingsExistAsync(settingIds, errors, ct);
        }

        if (!errors.Any)
        {
            await CheckPolicyExistsAsync(policyId, errors, ct);
        }

        if (errors.Any)
        {
            return;
        }

        var tagsBefore = key.Tags;
        var cache = (key.CacheMode, key.CacheTtl, key.CacheScope);
        key.Tags = tags ?? key.Tags;
        KeyCacheFields.Apply(request, key, errors);
        if (errors.Any)
        {
            key.Tags = tagsBefore;
            (key.CacheMode, key.CacheTtl, key.CacheScope) = cache;
            return;
        }

        key.Name = name ?? key.Name;
        key.Tags = tags ?? key.Tags;
        key.SettingIds = settingIds ?? key.SettingIds;
        key.Limits = limits;
        key.ShouldLogRequest = request.ShouldLogRequest ?? key.ShouldLogRequest;
        key.ShouldLogResponse = request.ShouldLogResponse ?? key.ShouldLogResponse;
        key.RotationEnabled = request.RotationEnabled ?? key.RotationEnabled;
        key.PolicyId = request.PolicyId is null ? key.PolicyId : policyId;
        if (request.Revoked is { } revoked)
        {
            key.Revoked = revoked;

            // Un-revoking clears the reason, as BricksLLM does.
            key.RevokedReason = revoked ? revokedReason ?? key.RevokedReason : null;
        }
        else if (request.RevokedReason is not null)
        {
            key.RevokedReason = revokedReason;
        }

        key.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
    }

    /// <summary><c>settingIds</c> plus the deprecated <c>settingId</c>, validated and deduplicated; null when neither was given.</summary>
    private static List<string>? MergeSettingIds(FieldErrors errors, string? settingId, List<string?>? settingIds)
    {
        var merged = errors.Strings("settingIds", settingIds, MaxIdLength);
        if (!string.IsNullOrEmpty(settingId))
        {
            merged ??= [];
            if (settingId.Length > MaxIdLength)
            {
                errors.Add("settingId", $"must be at most {MaxIdLength} characters");
            }
            else if (!merged.Contains(settingId, StringComparer.Ordinal))
            {
                merged.Insert(0, settingId);
            }
        }

        return merged;
    }

    private async Task CheckSettingsExistAsync(List<string> settingIds, FieldErrors errors, CancellationToken ct)
    {
        var found = await db.ProviderSettings.AsNoTracking().Where(s => settingIds.Contains(s.Id)).Select(s => s.Id).ToListAsync(ct);
        foreach (var missing in settingIds.Except(found, StringComparer.Ordinal))
        {
            errors.Add("settingIds", $"contains '{missing}', which is not a provider setting id");
        }
    }

    /// <summary>A key's <c>policyId</c> names an existing policy (empty detaches it).</summary>
    private async Task CheckPolicyExistsAsync(string? policyId, FieldErrors errors, CancellationToken ct)
    {
        if (policyId is not null && !await db.Policies.AnyAsync(p => p.Id == policyId, ct))
        {
            errors.Add("policyId", $"names no policy: {policyId} is not found");
        }
    }
}
