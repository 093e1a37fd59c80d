using System.Collections.Concurrent;
using Gateway.Domain.Limits;

namespace Gateway.Domain.Keys;

/// <summary>A key's (or end user's) <c>ttl</c> runs from its <c>createdAt</c>; past it the key is refused at once (BricksLLM let it work once more).</summary>
public static class KeyExpiry
{
    private static readonly ConcurrentDictionary<string, TimeSpan?> Parsed = new(StringComparer.Ordinal);

    public static DateTimeOffset? ExpiresAt(long createdAt, string? ttl)
    {
        if (string.IsNullOrEmpty(ttl))
        {
            return null;
        }

        var parsed = Parsed.GetOrAdd(ttl, static text => GoDuration.TryParse(text, out var span) ? span : null);
        return parsed is { } span ? DateTimeOffset.FromUnixTimeSeconds(createdAt) + span : null;
    }

    public static bool IsExpired(ApiKey key, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExpiresAt(key.CreatedAt, key.Limits.Ttl) is { } expiresAt && now >= expiresAt;
    }

    public static bool IsExpired(Users.User user, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(user);
        return ExpiresAt(user.CreatedAt, user.Limits.Ttl) is { } expiresAt && now >= expiresAt;
    }
}
