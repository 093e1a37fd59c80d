using Gateway.Admin.Functions.Http;
using Gateway.Domain.Caching;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>
/// A key's response cache defaults (issue 15): <c>cacheMode</c> (<c>auto</c>, <c>always</c>,
/// <c>never</c>), <c>cacheTtl</c> (Go duration, 1 s to 365 days) and <c>cacheScope</c> (<c>key</c>,
/// or <c>tag:&lt;tag&gt;</c> naming one of the key's own tags). On update a field left out is kept,
/// an empty string clears it.
/// </summary>
internal static class KeyCacheFields
{
    public const string TagScopePrefix = "tag:";
    private static readonly TimeSpan MaxTtl = TimeSpan.FromDays(365);

    public static void Apply(CreateKeyRequest request, ApiKey key, FieldErrors errors)
    {
        if (request.CacheMode is { } mode)
        {
            if (mode.Length == 0)
            {
                key.CacheMode = null;
            }
            else if (CacheModes.TryParse(mode, out var parsed))
            {
                key.CacheMode = CacheModes.ToText(parsed);
            }
            else
            {
                errors.Add("cacheMode", "must be auto, always or never");
            }
        }

        if (request.CacheTtl is { } ttl)
        {
            if (ttl.Length == 0)
            {
                key.CacheTtl = null;
            }
            else if (!GoDuration.TryParse(ttl, out var duration) || duration < TimeSpan.FromSeconds(1) || duration > MaxTtl)
            {
                errors.Add("cacheTtl", "must be a duration between 1s and 8760h, e.g. 24h");
            }
            else
            {
                key.CacheTtl = ttl;
            }
        }

        if (request.CacheScope is { } scope)
        {
            if (scope.Length == 0 || scope == "key")
            {
                key.CacheScope = null;
            }
            else if (scope.StartsWith(TagScopePrefix, StringComparison.Ordinal) && scope.Length > TagScopePrefix.Length)
            {
                key.CacheScope = scope;
            }
            else
            {
                errors.Add("cacheScope", "must be key or tag:<tag>");
            }
        }

        // Checked against the tags after the update: a key shares only a tag it carries.
        if (key.CacheScope is { } shared && !key.Tags.Contains(shared[TagScopePrefix.Length..], StringComparer.Ordinal))
        {
            errors.Add("cacheScope", $"names tag '{shared[TagScopePrefix.Length..]}', which is not one of the key's tags");
        }
    }
}
