using Gateway.Domain.Caching;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;
using Gateway.Domain.Routing;

namespace Gateway.Functions.Caching;

/// <summary>
/// How one request uses the cache. The mode comes from, in order: the <c>x-bt-use-cache</c>
/// header, the route's <c>cacheConfig</c> (<c>enabled</c> = <c>always</c>, disabled = <c>never</c>),
/// the key's <c>cacheMode</c>, else <c>auto</c>. The TTL from the route, the key, else
/// <c>Cache__DefaultTtl</c>. The scope is the key's own unless it opted into one of its tags.
/// </summary>
internal readonly record struct CachePolicy(CacheMode Mode, TimeSpan Ttl, string? SharedTag)
{
    /// <summary>The policy, or false when the header names no mode (the caller answers 400).</summary>
    public static bool TryResolve(string? header, RouteCacheConfig? route, ApiKey key, TimeSpan defaultTtl, out CachePolicy policy)
    {
        policy = default;
        CacheMode mode;
        if (!string.IsNullOrEmpty(header))
        {
            if (!CacheModes.TryParse(header, out mode))
            {
                return false;
            }
        }
        else if (route is not null)
        {
            mode = route.Enabled ? CacheMode.Always : CacheMode.Never;
        }
        else if (key.CacheMode is null || !CacheModes.TryParse(key.CacheMode, out mode))
        {
            mode = CacheMode.Auto;
        }

        var ttl = ParseTtl(route?.Ttl) ?? ParseTtl(key.CacheTtl) ?? defaultTtl;
        policy = new CachePolicy(mode, ttl, SharedTagOf(key));
        return true;
    }

    private static TimeSpan? ParseTtl(string? text)
        => !string.IsNullOrEmpty(text) && GoDuration.TryParse(text, out var ttl) && ttl > TimeSpan.Zero ? ttl : null;

    // Only a tag the key carries: a scope naming another tag (tags changed since) falls back to the key's own.
    private static string? SharedTagOf(ApiKey key)
    {
        const string Prefix = "tag:";
        if (key.CacheScope is not { Length: > 4 } scope || !scope.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var tag = scope[Prefix.Length..];
        foreach (var own in key.Tags)
        {
            if (own == tag)
            {
                return tag;
            }
        }

        return null;
    }
}
