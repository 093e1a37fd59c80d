using Gateway.Domain.Limits;
using Gateway.Domain.Persistence;
using Gateway.Domain.Redis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Usage.Spend;

/// <summary>
/// Rewrites the Redis spend counters of every key and end user that has a spend limit from the
/// PostgreSQL running totals (<c>spend_totals</c>, see <see cref="SpendLedger"/>): the total and the
/// current window of each unit (m, h, d, mo). One indexed read per owner kind, however long the event
/// history. Run by the refresh timer; a Redis flush or eviction loses no spend for longer than one
/// refresh interval.
/// </summary>
/// <remarks>
/// The totals hold applied events only. An unapplied event's charge is not in Redis yet, and will be
/// added by its redelivery (its marker is gone after a flush, so the script charges it); counting it
/// here too would charge it twice. An event charged in Redis but not yet marked applied (a consumer
/// that died between steps 2 and 3) is missing from one rebuild until its redelivery marks it. An
/// increment that lands between this class's read and its write is overwritten and restored by the
/// next run. Both are under-counts bounded by one refresh interval; spend is never counted twice.
/// </remarks>
public sealed partial class SpendCounterRebuilder(GatewayDbContext db, SpendLedger ledger, RedisConnection redis, TimeProvider time, ILogger<SpendCounterRebuilder> logger)
{
    /// <summary>Returns how many counters it wrote.</summary>
    public async Task<int> RebuildAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var keyIds = await db.Keys.AsNoTracking()
            .Where(k => !k.Revoked && (k.Limits.CostLimitInUsd > 0 || k.Limits.CostLimitInUsdOverTime > 0))
            .Select(k => k.KeyId).ToListAsync(cancellationToken);
        var userIds = await db.Users.AsNoTracking()
            .Where(u => !u.Revoked && (u.Limits.CostLimitInUsd > 0 || u.Limits.CostLimitInUsdOverTime > 0))
            .Select(u => u.Id).ToListAsync(cancellationToken);

        var writes = new List<(string Counter, long NanoUsd, TimeSpan? ExpiresIn)>();
        await CollectAsync(SpendCounterKeys.Owner.Key, keyIds, now, writes, cancellationToken);
        await CollectAsync(SpendCounterKeys.Owner.User, userIds, now, writes, cancellationToken);

        var redisDb = await redis.GetDatabaseAsync();
        var batch = redisDb.CreateBatch();
        var pending = writes.Select(w => batch.StringSetAsync(redis.Key(w.Counter), w.NanoUsd, w.ExpiresIn, StackExchange.Redis.When.Always)).ToList();
        batch.Execute();
        await Task.WhenAll(pending).WaitAsync(cancellationToken);
        var pruned = await ledger.PruneAsync(now, cancellationToken);
        LogRebuilt(logger, keyIds.Count, userIds.Count, writes.Count, pruned);
        return writes.Count;
    }

    private async Task CollectAsync(SpendCounterKeys.Owner owner, List<string> ids, DateTimeOffset now, List<(string, long, TimeSpan?)> writes, CancellationToken cancellationToken)
    {
        var windows = SpendCounter.SpendUnits.Select(u => (Unit: u, Window: u.Window(now))).ToArray();
        var totals = await ledger.ReadAsync(owner, ids, [.. windows.Select(w => w.Window.Start.ToUnixTimeSeconds()).Distinct()], cancellationToken);
        foreach (var id in ids)
        {
            var total = new SpendCounter(owner, id, null, DateTimeOffset.UnixEpoch, null);
            writes.Add((total.RedisName, totals.GetValueOrDefault((id, total.UnitCode, 0L)), null));
            foreach (var (unit, (start, end)) in windows)
            {
                var window = new SpendCounter(owner, id, unit, start, end);
                writes.Add((window.RedisName, totals.GetValueOrDefault((id, window.UnitCode, start.ToUnixTimeSeconds())), end - now));
            }
        }
    }

    [LoggerMessage(5400, LogLevel.Information, "Rebuilt the spend counters of {Keys} keys and {Users} end users from the running totals ({Counters} counters, {Pruned} finished windows pruned)")]
    private static partial void LogRebuilt(ILogger logger, int keys, int users, int counters, int pruned);
}
