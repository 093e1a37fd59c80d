using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Config;

/// <summary>
/// Rebuilds the Redis config cache from PostgreSQL: what makes a change that bypassed the admin
/// API, or a lost write-through, visible to the proxies. Run by the ingest app's timer.
/// </summary>
/// <remarks>
/// An admin write that lands between loading the data and swapping it in would be undone by the
/// older data (a revoked key alive again until the next run). So the swap is conditional on the
/// cache version read before loading: when a write went through meanwhile, the data is loaded again.
/// After <see cref="MaxAttempts"/> such races the rebuild goes through anyway (a warning), so that a
/// steady stream of writes cannot keep a flushed cache from being rebuilt.
/// </remarks>
public sealed class ConfigCacheRefresher(GatewayDbContext db, ConfigCacheWriter writer, ILogger<ConfigCacheRefresher> logger)
{
    public const int MaxAttempts = 5;

    public async Task<long> RefreshAsync(CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var versionBefore = await writer.ReadVersionAsync();
            var data = await LoadAsync(cancellationToken);
            var version = attempt < MaxAttempts
                ? await writer.TryRebuildAsync(data, versionBefore)
                : await writer.RebuildAsync(data);
            if (version is { } rebuilt)
            {
                if (attempt == MaxAttempts)
                {
                    ConfigLog.RebuiltDespiteWrites(logger, attempt);
                }

                ConfigLog.Rebuilt(logger, rebuilt, data.Keys.Count, data.ProviderSettings.Count, data.CustomProviders.Count, data.Routes.Count, data.Users.Count);
                return rebuilt;
            }

            ConfigLog.RebuildRaced(logger, attempt);
        }
    }

    private async Task<ConfigData> LoadAsync(CancellationToken cancellationToken) => new(
        await db.Keys.AsNoTracking().ToListAsync(cancellationToken),
        await db.ProviderSettings.AsNoTracking().ToListAsync(cancellationToken),
        await db.CustomProviders.AsNoTracking().ToListAsync(cancellationToken),
        await db.Routes.AsNoTracking().ToListAsync(cancellationToken),
        await db.Users.AsNoTracking().ToListAsync(cancellationToken));
}
