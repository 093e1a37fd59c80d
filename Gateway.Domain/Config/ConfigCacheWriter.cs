using System.Text.Json;
using Gateway.Domain.Json;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Gateway.Domain.Redis;
using Gateway.Domain.Routing;
using Gateway.Domain.Users;
using StackExchange.Redis;

namespace Gateway.Domain.Config;

/// <summary>
/// Writes the Redis config cache: write-through of single rows after an admin change, and a
/// full rebuild from PostgreSQL by the refresh timer. Every write bumps the version and
/// publishes an invalidation, so running proxies reload within a round trip.
/// </summary>
public sealed class ConfigCacheWriter(RedisConnection redis)
{
    public Task UpsertAsync(ApiKey key) => UpsertAsync(ConfigEntityKind.Key, key.KeyId, JsonSerializer.Serialize(key, ConfigCacheLayout.KeyJson));

    public Task UpsertAsync(ProviderSetting setting) => UpsertAsync(ConfigEntityKind.ProviderSetting, setting.Id, JsonSerializer.Serialize(setting, ConfigCacheLayout.SettingJson));

    public Task UpsertAsync(CustomProvider provider) => UpsertAsync(ConfigEntityKind.CustomProvider, provider.Id, JsonSerializer.Serialize(provider, ConfigCacheLayout.CustomProviderJson));

    public Task UpsertAsync(Route route) => UpsertAsync(ConfigEntityKind.Route, route.Id, JsonSerializer.Serialize(route, ConfigCacheLayout.RouteJson));

    public Task UpsertAsync(User user) => UpsertAsync(ConfigEntityKind.User, user.Id, JsonSerializer.Serialize(user, ConfigCacheLayout.UserJson));

    public async Task RemoveAsync(ConfigEntityKind kind, string id)
    {
        var db = await redis.GetDatabaseAsync();
        var tx = db.CreateTransaction();
        _ = tx.HashDeleteAsync(redis.Key(ConfigCacheLayout.HashKey(kind)), id);
        var version = tx.StringIncrementAsync(redis.Key(ConfigCacheLayout.VersionKey));
        await tx.ExecuteAsync();
        await PublishAsync(new ConfigInvalidation(await version, kind, id));
    }

    /// <summary>Replaces the whole cache with <paramref name="data"/>, atomically for readers.</summary>
    public async Task<long> RebuildAsync(ConfigData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var db = await redis.GetDatabaseAsync();
        var staging = Guid.NewGuid().ToString("n");
        var staged = new List<(ConfigEntityKind Kind, RedisKey Temp, bool Empty)>();
        var temps = new List<RedisKey>();
        try
        {
            foreach (var kind in ConfigCacheLayout.Kinds)
            {
                var temp = redis.Key($"{ConfigCacheLayout.HashKey(kind)}:staging:{staging}");
                temps.Add(temp);
                var empty = true;
                foreach (var chunk in ConfigCacheLayout.Rows(data, kind).Chunk(500))
                {
                    await db.HashSetAsync(temp, [.. chunk.Select(r => new HashEntry(r.Id, r.Json))]);
                    empty = false;
                }

                staged.Add((kind, temp, empty));
            }

            // Swap every hash in one MULTI so that a proxy never reads half an old and half a new cache.
            var tx = db.CreateTransaction();
            foreach (var (kind, temp, empty) in staged)
            {
                var live = redis.Key(ConfigCacheLayout.HashKey(kind));
                _ = empty ? tx.KeyDeleteAsync(live) : tx.KeyRenameAsync(temp, live);
            }

            var version = tx.StringIncrementAsync(redis.Key(ConfigCacheLayout.VersionKey));
            await tx.ExecuteAsync();
            var newVersion = await version;
            await PublishAsync(new ConfigInvalidation(newVersion));
            return newVersion;
        }
        finally
        {
            // Renamed hashes are gone already; this clears what a failed rebuild staged.
            await db.KeyDeleteAsync([.. temps]);
        }
    }

    private async Task UpsertAsync(ConfigEntityKind kind, string id, string json)
    {
        var db = await redis.GetDatabaseAsync();
        var tx = db.CreateTransaction();
        _ = tx.HashSetAsync(redis.Key(ConfigCacheLayout.HashKey(kind)), id, json);
        var version = tx.StringIncrementAsync(redis.Key(ConfigCacheLayout.VersionKey));
        await tx.ExecuteAsync();
        await PublishAsync(new ConfigInvalidation(await version, kind, id));
    }

    private async Task PublishAsync(ConfigInvalidation message)
    {
        var subscriber = await redis.GetSubscriberAsync();
        await subscriber.PublishAsync(redis.Channel(ConfigCacheLayout.Channel), JsonSerializer.Serialize(message, DomainJsonContext.Default.ConfigInvalidation));
    }
}
