using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Config;

/// <summary>
/// Rebuilds the Redis config cache from PostgreSQL: what makes a change that bypassed the admin
/// API, or a lost write-through, visible to the proxies. Run by the ingest app's timer.
/// </summary>
public sealed class ConfigCacheRefresher(GatewayDbContext db, ConfigCacheWriter writer, ILogger<ConfigCacheRefresher> logger)
{
    public async Task<long> RefreshAsync(CancellationToken cancellationToken)
    {
        var data = new ConfigData(
            await db.Keys.AsNoTracking().ToListAsync(cancellationToken),
            await db.ProviderSettings.AsNoTracking().ToListAsync(cancellationToken),
            await db.CustomProviders.AsNoTracking().ToListAsync(cancellationToken),
            await db.Routes.AsNoTracking().ToListAsync(cancellationToken),
            await db.Users.AsNoTracking().ToListAsync(cancellationToken))
        {
            Policies = await db.Policies.AsNoTracking().ToListAsync(cancellationToken),
        };
        var version = await writer.RebuildAsync(data);
        ConfigLog.Rebuilt(logger, version, data.Keys.Count, data.ProviderSettings.Count, data.CustomProviders.Count, data.Routes.Count, data.Users.Count);
        return version;
    }
}
