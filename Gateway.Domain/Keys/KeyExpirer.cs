using Gateway.Domain.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Keys;

/// <summary>
/// Marks keys and end users past their <c>ttl</c> as revoked with reason <c>expired</c> in PostgreSQL
/// (BricksLLM's behaviour), so that the admin API shows it. The proxy already refuses them the moment
/// the ttl passes (<see cref="KeyExpiry"/>); this runs on the refresh timer, before the config cache
/// is rebuilt, which carries the change to the proxies.
/// </summary>
public sealed partial class KeyExpirer(GatewayDbContext db, TimeProvider time, ILogger<KeyExpirer> logger)
{
    public const string ExpiredReason = "expired";

    /// <summary>Returns how many keys and users it revoked.</summary>
    public async Task<int> ExpireAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var nowSeconds = now.ToUnixTimeSeconds();
        var keys = (await db.Keys.Where(k => !k.Revoked && k.Limits.Ttl != null && k.Limits.Ttl != "").ToListAsync(cancellationToken))
            .Where(k => KeyExpiry.IsExpired(k, now)).ToList();
        foreach (var key in keys)
        {
            key.Revoked = true;
            key.RevokedReason = ExpiredReason;
            key.UpdatedAt = nowSeconds;
        }

        var users = (await db.Users.Where(u => !u.Revoked && u.Limits.Ttl != null && u.Limits.Ttl != "").ToListAsync(cancellationToken))
            .Where(u => KeyExpiry.IsExpired(u, now)).ToList();
        foreach (var user in users)
        {
            user.Revoked = true;
            user.RevokedReason = ExpiredReason;
            user.UpdatedAt = nowSeconds;
        }

        if (keys.Count + users.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            LogExpired(logger, keys.Count, users.Count);
        }

        return keys.Count + users.Count;
    }

    [LoggerMessage(1110, LogLevel.Information, "Revoked {Keys} keys and {Users} end users past their ttl (reason 'expired')")]
    private static partial void LogExpired(ILogger logger, int keys, int users);
}
