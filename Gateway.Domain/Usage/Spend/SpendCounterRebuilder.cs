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
/// A counter is only ever raised, never lowered: Redis is charged (step 2) before the totals are
/// (step 3), so a live counter is never below the totals, and one below them has lost data (a flush
/// or an eviction). Raising only (one script: <c>SET</c> when greater) means an increment that lands
/// between this class's read and its write is never overwritten. The totals hold applied events only:
/// an unapplied event's charge is added by its redelivery (its marker is gone after a flush, so the
/// script charges it); counting it here too would charge it twice. After a flush, the events applied
/// between the flush and the rebuild's read are missing until the next run: an under-count bounded by
/// one refresh interval, and only after data loss. Spend is never counted twice.
/// </remarks>
public sealed partial class SpendCounterRebuilder(GatewayDbContext db, SpendLedger ledger, RedisConnection redis, TimeProvider time, ILogger<SpendCounterRebuilder> logger)
{
    // KEYS: counters; ARGV: per counter its rebuilt nano-dollars and its time to live in ms (0: none).
    // Sets a counter only when the rebuilt value is greater, and gives a window counter its expiry if it has none.
    private const string RaiseScript = """
        for i = 1, #KEYS do
          local value = tonumber(ARGV[2 * i - 1])
          local ttl = tonumber(ARGV[2 * i])
          local current = tonumber(redis.call('GET', KEYS[i]) or '0') or 0
          if value > current then
            if ttl > 0 then redis.call('SET', KEYS[i], value, 'PX', ttl) else redis.call('SET', KEYS[i], value) end
          elseif ttl > 0 and redis.call('PTTL', KEYS[i]) == -1 then
            redis.call('PEXPIRE', KEYS[i], ttl)
          end
        end
        return #KEYS
        """;

    private const int CountersPerScript = 500;

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
        foreach (var chunk in writes.Chunk(CountersPerScript))
        {
            var keys = Array.ConvertAll(chunk, w => redis.Key(w.Counter));
            var args = new StackExchange.Redis.RedisValue[chunk.Length * 2];
            for (var i = 0; i < chunk.Length; i++)
            {
                args[2 * i] = chunk[i].NanoUsd;
                args[(2 * i) + 1] = chunk[i].ExpiresIn is { } expires ? Math.Max(1, (long)expires.TotalMilliseconds) : 0;
            }

            await redisDb.ScriptEvaluateAsync(RaiseScript, keys, args).WaitAsync(cancellationToken);
        }

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
