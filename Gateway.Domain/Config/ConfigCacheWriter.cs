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
    public Task UpsertAsync(ApiKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteRowAsync(ConfigEntityKind.Key, key.KeyId, JsonSerializer.Serialize(key, ConfigCacheLayout.KeyJson), key.KeyHash);
    }

    public Task UpsertAsync(ProviderSetting setting) => WriteRowAsync(ConfigEntityKind.ProviderSetting, setting.Id, JsonSerializer.Serialize(setting, ConfigCacheLayout.SettingJson));

    public Task UpsertAsync(CustomProvider provider) => WriteRowAsync(ConfigEntityKind.CustomProvider, provider.Id, JsonSerializer.Serialize(provider, ConfigCacheLayout.CustomProviderJson));

    public Task UpsertAsync(Route route) => WriteRowAsync(ConfigEntityKind.Route, route.Id, JsonSerializer.Serialize(route, ConfigCacheLayout.RouteJson));

    public Task UpsertAsync(User user) => WriteRowAsync(ConfigEntityKind.User, user.Id, JsonSerializer.Serialize(user, ConfigCacheLayout.UserJson));

    /// <summary>
    /// Removes a row. A removed key's hash index entry stays until the next rebuild; lookups
    /// check that the row it points at exists and carries that hash.
    /// </summary>
    public Task RemoveAsync(ConfigEntityKind kind, string id) => WriteRowAsync(kind, id, json: null);

    /// <summary>The cache's version now (null when Redis has none): read before loading the data of a <see cref="TryRebuildAsync"/>.</summary>
    public async Task<RedisValue> ReadVersionAsync()
    {
        var db = await redis.GetDatabaseAsync();
        return await db.StringGetAsync(redis.Key(ConfigCacheLayout.VersionKey));
    }

    /// <summary>Replaces the whole cache with <paramref name="data"/>, atomically for readers, as a new complete generation.</summary>
    public async Task<long> RebuildAsync(ConfigData data) => (await RebuildAsync(data, condition: null))!.Value;

    /// <summary>
    /// Like <see cref="RebuildAsync(ConfigData)"/>, but only when no write went through since
    /// <paramref name="versionBefore"/> was read (an admin write after the data was loaded would be
    /// overwritten by the older data); null when one did and nothing was replaced.
    /// </summary>
    public Task<long?> TryRebuildAsync(ConfigData data, RedisValue versionBefore)
    {
        var versionKey = redis.Key(ConfigCacheLayout.VersionKey);
        return RebuildAsync(data, versionBefore.IsNull ? Condition.KeyNotExists(versionKey) : Condition.StringEqual(versionKey, versionBefore));
    }

    private async Task<long?> RebuildAsync(ConfigData data, Condition? condition)
    {
        ArgumentNullException.ThrowIfNull(data);
        var db = await redis.GetDatabaseAsync();
        var staging = Guid.NewGuid().ToString("n");
        var staged = new List<(RedisKey Live, RedisKey Temp, bool Empty)>();
        try
        {
            foreach (var kind in ConfigCacheLayout.Kinds)
            {
                var rows = ConfigCacheLayout.Rows(data, kind).Select(static r => new HashEntry(r.Id, r.Json));
                staged.Add(await StageAsync(db, ConfigCacheLayout.HashKey(kind), staging, rows));
            }

            var hashes = data.Keys.Where(static k => ApiKeyHash.TryParseHex(k.KeyHash, out _)).Select(static k => new HashEntry(k.KeyHash.ToLowerInvariant(), k.KeyId));
            staged.Add(await StageAsync(db, ConfigCacheLayout.KeyHashIndex, staging, hashes));

            // Swap every hash in one MULTI so that a proxy never reads half an old and half a new
            // cache; a new generation tells proxies to take this copy whole, whatever its version.
            var generation = ConfigCacheStamp.NewRebuiltGeneration();
            var tx = db.CreateTransaction();
            if (condition is not null)
            {
                tx.AddCondition(condition);
            }

            foreach (var (live, temp, empty) in staged)
            {
                _ = empty ? tx.KeyDeleteAsync(live) : tx.KeyRenameAsync(temp, live);
            }

            _ = tx.StringSetAsync(redis.Key(ConfigCacheLayout.GenerationKey), generation);
            var version = tx.StringIncrementAsync(redis.Key(ConfigCacheLayout.VersionKey));
            if (!await tx.ExecuteAsync())
            {
                return null;
            }

            var newVersion = await version;
            await PublishAsync(new ConfigInvalidation(newVersion, Generation: generation));
            return newVersion;
        }
        finally
        {
            // Renamed hashes are gone already; this clears what a failed rebuild staged.
            await db.KeyDeleteAsync([.. staged.Select(static s => s.Temp)]);
        }
    }

    private async Task<(RedisKey Live, RedisKey Temp, bool Empty)> StageAsync(IDatabase db, string name, string staging, IEnumerable<HashEntry> rows)
    {
        var temp = redis.Key($"{name}:staging:{staging}");
        var empty = true;
        foreach (var chunk in rows.Chunk(500))
        {
            await db.HashSetAsync(temp, chunk);
            empty = false;
        }

        return (redis.Key(name), temp, empty);
    }

    // json: the row, or null to remove it. keyHash: for a key, indexed so that proxies can find a key they do not hold yet.
    private async Task WriteRowAsync(ConfigEntityKind kind, string id, string? json, string? keyHash = null)
    {
        var db = await redis.GetDatabaseAsync();
        var tx = db.CreateTransaction();
        var hash = redis.Key(ConfigCacheLayout.HashKey(kind));
        _ = json is null ? tx.HashDeleteAsync(hash, id) : tx.HashSetAsync(hash, id, json);
        if (keyHash is not null && ApiKeyHash.TryParseHex(keyHash, out _))
        {
            _ = tx.HashSetAsync(redis.Key(ConfigCacheLayout.KeyHashIndex), keyHash.ToLowerInvariant(), id);
        }

        // Redis lost its data (or was never rebuilt): this write starts a partial generation that
        // proxies holding a complete copy lay over it instead of taking whole.
        var generationKey = redis.Key(ConfigCacheLayout.GenerationKey);
        _ = tx.StringSetAsync(generationKey, ConfigCacheStamp.NewWrittenGeneration(), when: When.NotExists);
        var version = tx.StringIncrementAsync(redis.Key(ConfigCacheLayout.VersionKey));
        var generation = tx.StringGetAsync(generationKey);
        await tx.ExecuteAsync();
        await PublishAsync(new ConfigInvalidation(await version, kind, id, await generation));
    }

    private async Task PublishAsync(ConfigInvalidation message)
    {
        var subscriber = await redis.GetSubscriberAsync();
        await subscriber.PublishAsync(redis.Channel(ConfigCacheLayout.Channel), JsonSerializer.Serialize(message, DomainJsonContext.Default.ConfigInvalidation));
    }
}
