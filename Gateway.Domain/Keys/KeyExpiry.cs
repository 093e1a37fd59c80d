using System.Collections.Concurrent;
using Gateway.Domain.Limits;

namespace Gateway.Domain.Keys;

/// <summary>A key's <c>ttl</c> runs from its <c>createdAt</c>; past it the key is refused at once (BricksLLM let it work once more).</summary>
public static class KeyExpiry
{
    private static readonly ConcurrentDictionary<string, TimeSpan?> Parsed = new(StringComparer.Ordinal);

    public static DateTimeOffset? ExpiresAt(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (string.IsNullOrEmpty(key.Ttl))
        {
            return null;
        }

        var ttl = Parsed.GetOrAdd(key.Ttl, static text => GoDuration.TryParse(text, out var span) ? span : null);
        return ttl is { } span ? DateTimeOffset.FromUnixTimeSeconds(key.CreatedAt) + span : null;
    }

    public static bool IsExpired(ApiKey key, DateTimeOffset now) => ExpiresAt(key) is { } expiresAt && now >= expiresAt;
}
