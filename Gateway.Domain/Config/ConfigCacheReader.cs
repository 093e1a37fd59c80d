using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Domain.Redis;
using StackExchange.Redis;

namespace Gateway.Domain.Config;

/// <summary>Reads the Redis config cache: its version, or everything in one consistent MULTI.</summary>
public sealed class ConfigCacheReader(RedisConnection redis)
{
    /// <summary>The cache's version; 0 when it was never written.</summary>
    public async Task<long> GetVersionAsync()
    {
        var db = await redis.GetDatabaseAsync();
        var value = await db.StringGetAsync(redis.Key(ConfigCacheLayout.VersionKey));
        return value.HasValue ? (long)value : 0;
    }

    public async Task<(long Version, ConfigData Data)> ReadAsync()
    {
        var db = await redis.GetDatabaseAsync();
        var tx = db.CreateTransaction();
        var version = tx.StringGetAsync(redis.Key(ConfigCacheLayout.VersionKey));
        var keys = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.Key)));
        var settings = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.ProviderSetting)));
        var customProviders = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.CustomProvider)));
        var routes = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.Route)));
        var users = tx.HashGetAllAsync(redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.User)));
        await tx.ExecuteAsync();

        var data = new ConfigData(
            Parse(await keys, ConfigCacheLayout.KeyJson),
            Parse(await settings, ConfigCacheLayout.SettingJson),
            Parse(await customProviders, ConfigCacheLayout.CustomProviderJson),
            Parse(await routes, ConfigCacheLayout.RouteJson),
            Parse(await users, ConfigCacheLayout.UserJson));
        var v = await version;
        return (v.HasValue ? (long)v : 0, data);
    }

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
