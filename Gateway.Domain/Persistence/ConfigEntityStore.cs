using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Privacy;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Gateway.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;

namespace Gateway.Domain.Persistence;

/// <summary>
/// The one write path for configuration (keys, provider settings, custom providers, routes,
/// users): PostgreSQL first, the source of truth, then the Redis config cache, whose write bumps
/// the version and publishes the invalidation, so running proxies apply it within a round trip.
/// </summary>
/// <remarks>
/// Every entity the unit of work added or changed is saved by one <c>SaveChanges</c> (one
/// PostgreSQL transaction) and then written through, so a change that touches several rows (a
/// custom provider and the settings it re-encrypts) commits whole. When Redis fails after the
/// commit the change is not lost: the ingest app's refresh rebuilds the cache from PostgreSQL;
/// the caller still hears <see cref="ConfigChangeOutcome.NotPropagated"/>, because a revocation
/// that proxies do not see yet must not look done.
/// </remarks>
public sealed partial class ConfigEntityStore(GatewayDbContext db, ConfigCacheWriter cache, ILogger<ConfigEntityStore> logger)
{
    /// <summary>Ids are at most a few hundred characters; anything PostgreSQL cannot even compare is simply not found.</summary>
    public static bool IsLookupable(string id) => id is { Length: > 0 and <= 256 } && !id.Contains('\0', StringComparison.Ordinal);

    /// <summary>The tracked entity with this primary key, to change and then <see cref="UpdateAsync{T}"/>; null when there is none.</summary>
    public async Task<T?> FindAsync<T>(string id, CancellationToken cancellationToken)
        where T : class
        => IsLookupable(id) ? await db.Set<T>().FindAsync([id], cancellationToken) : null;

    /// <summary>Inserts <paramref name="entity"/> (and saves whatever else the unit of work changed).</summary>
    public Task<ConfigChange> AddAsync<T>(T entity, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(entity);
        db.Add(entity);
        return SaveAsync(entity, cancellationToken);
    }

    /// <summary>
    /// Saves the changes to <paramref name="entity"/> (tracked, from <see cref="FindAsync{T}"/>) and to
    /// every other configuration entity of the unit of work, and writes each through. The entity is
    /// written to the cache even when nothing of it changed, which repairs a cache that missed it.
    /// </summary>
    public Task<ConfigChange> UpdateAsync<T>(T entity, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(entity);
        return SaveAsync(entity, cancellationToken);
    }

    private async Task<ConfigChange> SaveAsync(object entity, CancellationToken cancellationToken)
    {
        var changed = db.ChangeTracker.Entries()
            .Where(e => (e.State is EntityState.Added or EntityState.Modified) && !ReferenceEquals(e.Entity, entity))
            .Select(e => (e.Entity, Created: e.State == EntityState.Added))
            .Prepend((entity, Created: db.Entry(entity).State == EntityState.Added))
            .ToList();
        var (kind, id) = Describe(entity);
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            LogDuplicate(logger, kind, id);
            return new(ConfigChangeOutcome.Duplicate, kind, id);
        }

        var outcome = ConfigChangeOutcome.Done;
        foreach (var (changedEntity, created) in changed)
        {
            var (changedKind, changedId) = Describe(changedEntity);
            LogSaved(logger, created ? "Created" : "Updated", changedKind, changedId);
            if (!await TryWriteThroughAsync(changedKind, changedId, () => Upsert(changedEntity)))
            {
                outcome = ConfigChangeOutcome.NotPropagated;
            }
        }

        return new(outcome, kind, id);
    }

    /// <summary>Deletes the row with this primary key and removes it from the config cache.</summary>
    public async Task<ConfigChange> DeleteAsync<T>(string id, CancellationToken cancellationToken)
        where T : class
    {
        var kind = KindOf(typeof(T));
        var keyColumn = db.Model.FindEntityType(typeof(T))!.FindPrimaryKey()!.Properties[0].Name;
        var deleted = IsLookupable(id)
            ? await db.Set<T>().Where(e => EF.Property<string>(e, keyColumn) == id).ExecuteDeleteAsync(cancellationToken)
            : 0;
        if (deleted == 0)
        {
            return new(ConfigChangeOutcome.NotFound, kind, id);
        }

        LogSaved(logger, "Deleted", kind, id);
        return await TryWriteThroughAsync(kind, id, () => cache.RemoveAsync(kind, id))
            ? new(ConfigChangeOutcome.Done, kind, id)
            : new(ConfigChangeOutcome.NotPropagated, kind, id);
    }

    private async Task<bool> TryWriteThroughAsync(ConfigEntityKind kind, string id, Func<Task> write)
    {
        try
        {
            await write();
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNotPropagated(logger, kind, id, ex);
            return false;
        }
    }

    private Task Upsert(object entity) => entity switch
    {
        ApiKey key => cache.UpsertAsync(key),
        ProviderSetting setting => cache.UpsertAsync(setting),
        CustomProvider provider => cache.UpsertAsync(provider),
        Route route => cache.UpsertAsync(route),
        User user => cache.UpsertAsync(user),
        Policy policy => cache.UpsertAsync(policy),
        _ => throw new ArgumentException($"{entity.GetType()} is not configuration.", nameof(entity)),
    };

    private static (ConfigEntityKind Kind, string Id) Describe(object entity) => entity switch
    {
        ApiKey key => (ConfigEntityKind.Key, key.KeyId),
        ProviderSetting setting => (ConfigEntityKind.ProviderSetting, setting.Id),
        CustomProvider provider => (ConfigEntityKind.CustomProvider, provider.Id),
        Route route => (ConfigEntityKind.Route, route.Id),
        User user => (ConfigEntityKind.User, user.Id),
        Policy policy => (ConfigEntityKind.Policy, policy.Id),
        _ => throw new ArgumentException($"{entity.GetType()} is not configuration.", nameof(entity)),
    };

    private static ConfigEntityKind KindOf(Type type)
        => type == typeof(ApiKey) ? ConfigEntityKind.Key
        : type == typeof(ProviderSetting) ? ConfigEntityKind.ProviderSetting
        : type == typeof(CustomProvider) ? ConfigEntityKind.CustomProvider
        : type == typeof(Route) ? ConfigEntityKind.Route
        : type == typeof(User) ? ConfigEntityKind.User
        : type == typeof(Policy) ? ConfigEntityKind.Policy
        : throw new ArgumentException($"{type} is not configuration.", nameof(type));

    [LoggerMessage(1010, LogLevel.Information, "{Action} {Kind} {Id}")]
    private static partial void LogSaved(ILogger logger, string action, ConfigEntityKind kind, string id);

    [LoggerMessage(1011, LogLevel.Information, "A unique index refused {Kind} {Id}: a concurrent request saved the same one first")]
    private static partial void LogDuplicate(ILogger logger, ConfigEntityKind kind, string id);

    [LoggerMessage(1012, LogLevel.Error, "Saved {Kind} {Id} in PostgreSQL but could not write it to the Redis config cache; the next config refresh will propagate it")]
    private static partial void LogNotPropagated(ILogger logger, ConfigEntityKind kind, string id, Exception exception);
}
