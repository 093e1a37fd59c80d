using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// What ingest reads from PostgreSQL besides the ledger, cached briefly (most events repeat the same
/// setting): a provider setting's <c>costMap</c>. The end user charged is the one the proxy matched
/// (<see cref="UsageEventMessage.EndUserId"/>); ingest does not match again.
/// </summary>
public sealed class UsageLookups(IServiceScopeFactory scopes, IMemoryCache cache)
{
    /// <summary>A change to a setting's costMap is seen within this.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);

    public async Task<CostMap?> CostMapAsync(string settingId, CancellationToken cancellationToken)
    {
        if (cache.TryGetValue(("costmap", settingId), out CostMap? cached))
        {
            return cached;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
        var costMap = await db.ProviderSettings.AsNoTracking().Where(s => s.Id == settingId).Select(s => s.CostMap).FirstOrDefaultAsync(cancellationToken);
        cache.Set(("costmap", settingId), costMap, CacheFor);
        return costMap;
    }
}
