using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Gateway.Domain.Redis;
using StackExchange.Redis;

namespace Gateway.Domain.Config;

/// <summary>Reads the Redis config cache: its stamp, everything in one consistent MULTI, or one key by hash.</summary>
public sealed class ConfigCacheReader(RedisConnection redis)
{
    // KEYS: the hash index, the keys hash. ARGV: the key hash. One round trip from hash to row.
    private const string FindKeyScript = """
        local id = redis.call('HGET', KEYS[1], ARGV[1])
        if not id then return false end
        return redis.call('HGET', KEYS[2], id)
        """;

    /// <summary>The cache's version (0 when never written) and generation (null when none).</summary>
    public async Task<ConfigCacheStamp> GetStampAsync()
    {
        var db = await redis.GetDatabaseAsync();
        var values = await db.StringGetAsync([redis.Key(ConfigCacheLayout.VersionKey), redis.Key(ConfigCacheLayout.GenerationKey)]);
        return Stamp(values[0], values[1]);
    }

    public async Task<(ConfigCacheStamp Stamp, ConfigData Data)> ReadAsync()
    {
        var db = await redis.GetDatabaseAsync();
        var tx = db.CreateTransaction();
        var version = tx.StringGetAsync(redis.Key(ConfigCacheLayout.VersionKey));
        var generation = tx.StringGetAsync(redis.Key(ConfigCacheLayout.GenerationKey));
        var keys = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.Key)));
        var settings = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.ProviderSetting)));
        var customProviders = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.CustomProvider)));
        var routes = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.Route)));
        var users = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.User)));
        var policies = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.Policy)));
        await tx.ExecuteAsync();

        var data = new ConfigData(
            Parse(await keys, ConfigCacheLayout.KeyJson),
            Parse(await settings, ConfigCacheLayout.SettingJson),
            Parse(await customProviders, ConfigCacheLayout.CustomProviderJson),
            Parse(await routes, ConfigCacheLayout.RouteJson),
            Parse(await users, ConfigCacheLayout.UserJson))
        {
            Policies = Parse(await policies, ConfigCacheLayout.PolicyJson),
        };
        return (Stamp(await version, await generation), data);
    }

    /// <summary>
    /// The key with <paramref name="hash"/> and the provider settings it names, straight from
    /// Redis (two round trips); null when the cache has no such key.
    /// </summary>
    public async Task<(ApiKey Key, IReadOnlyList<ProviderSetting> Settings)?> FindKeyAsync(ApiKeyHash hash)
    {
        var db = await redis.GetDatabaseAsync();
        var hex = hash.ToHex();
        var found = await db.ScriptEvaluateAsync(
            FindKeyScript,
            [redis.Key(ConfigCacheLayout.KeyHashIndex), redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.Key))],
            [hex]);
        if (found.IsNull || JsonSerializer.Deserialize((string)found!, ConfigCacheLayout.KeyJson) is not { } key
            || !string.Equals(key.KeyHash, hex, StringComparison.OrdinalIgnoreCase))
        {
            // Not indexed, or the index entry outlived its row (removed, or re-keyed).
            return null;
        }

        if (key.SettingIds.Count == 0)
        {
            return (key, []);
        }

        var rows = await db.HashGetAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.ProviderSetting)), [.. key.SettingIds.Select(static id => (RedisValue)id)]);
        var settings = new List<ProviderSetting>(rows.Length);
        foreach (var row in rows)
        {
            if (row.HasValue && JsonSerializer.Deserialize((string)row!, ConfigCacheLayout.SettingJson) is { } setting)
            {
                settings.Add(setting);
            }
        }

        return (key, settings);
    }

    private static ConfigCacheStamp Stamp(RedisValue version, RedisValue generation)
        => new(version.HasValue ? (long)version : 0, generation.HasValue ? (string?)generation : null);

    private static List<T> Parse<T>(HashEntry[] entries, JsonTypeInfo<T> typeInfo)
    {
        var list = new List<T>(entries.Length);
        foreach (var entry in entries)
        {
            list.Add(JsonSerializer.Deserialize((string)entry.Value!, typeInfo)!);
        }

        return list;
    }
}
