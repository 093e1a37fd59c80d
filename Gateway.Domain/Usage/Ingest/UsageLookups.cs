using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;
using Gateway.Domain.Users;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// What ingest reads from PostgreSQL besides the ledger, cached briefly (most events repeat the same
/// setting and user): a provider setting's <c>costMap</c>, and the end user an event is charged to.
/// </summary>
public sealed class UsageLookups(IServiceScopeFactory scopes, IMemoryCache cache)
{
    /// <summary>A change to a setting's costMap or to the users table is seen within this.</summary>
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

    /// <summary>
    /// The <c>users</c> row the proxy matched for this request's end user id: one that names the key
    /// in its keyIds, else one whose tags contain all of the key's tags (BricksLLM's rule, as the proxy
    /// applies it). Null when none: the event is charged to the key only.
    /// </summary>
    public async Task<string?> EndUserAsync(string userId, string keyId, IReadOnlyList<string> keyTags, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyTags);
        if (!cache.TryGetValue(("users", userId), out List<User>? users) || users is null)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<GatewayDbContext>();
            users = await db.Users.AsNoTracking().Where(u => u.UserId == userId).OrderBy(u => u.Id).ToListAsync(cancellationToken);
            cache.Set(("users", userId), users, CacheFor);
        }

        return (users.FirstOrDefault(u => u.KeyIds.Contains(keyId, StringComparer.Ordinal))
            ?? users.FirstOrDefault(u => keyTags.All(t => u.Tags.Contains(t, StringComparer.Ordinal))))?.Id;
    }
}
