using Gateway.Domain.Limits;
using Gateway.Domain.Persistence;
using Gateway.Domain.Redis;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Domain.Usage.Spend;

/// <summary>
/// Rewrites the Redis spend counters of every key and end user that has a spend limit from the
/// PostgreSQL ledger: the total and the current window of each unit (m, h, d, mo), summed over the
/// events with <c>spend_applied = true</c>. Run by the refresh timer; a Redis flush or eviction loses
/// no spend for longer than one refresh interval.
/// </summary>
/// <remarks>
/// Why only applied events: an unapplied event's charge is not in Redis yet, and will be added by its
/// redelivery (its marker is gone after a flush, so the script charges it); counting it here too would
/// charge it twice. An event charged in Redis but not yet marked applied (a consumer that died between
/// steps 3 and 4) is missing from one rebuild until its redelivery marks it. An increment that lands
/// between this class's query and its write is overwritten and restored by the next run. Both are
/// under-counts bounded by one refresh interval; spend is never counted twice. Sums are of per-event
/// rounded micro-dollars, exactly what the increments add.
/// </remarks>
public sealed partial class SpendCounterRebuilder(GatewayDbContext db, RedisConnection redis, TimeProvider time, ILogger<SpendCounterRebuilder> logger)
{
    private static readonly LimitUnit[] SpendUnits = [LimitUnit.Minute, LimitUnit.Hour, LimitUnit.Day, LimitUnit.Month];

    // {owner}: the owner column. $1: owner ids; $2..$5: the current minute, hour, day and month starts.
    private const string SumSql = """
        SELECT {owner},
            COALESCE(SUM(ROUND(cost_in_usd * 1000000)), 0)::bigint,
            COALESCE(SUM(ROUND(cost_in_usd * 1000000)) FILTER (WHERE created_at >= $2), 0)::bigint,
            COALESCE(SUM(ROUND(cost_in_usd * 1000000)) FILTER (WHERE created_at >= $3), 0)::bigint,
            COALESCE(SUM(ROUND(cost_in_usd * 1000000)) FILTER (WHERE created_at >= $4), 0)::bigint,
            COALESCE(SUM(ROUND(cost_in_usd * 1000000)) FILTER (WHERE created_at >= $5), 0)::bigint
        FROM events
        WHERE spend_applied AND {owner} = ANY($1)
        GROUP BY {owner}
        """;

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

        var writes = new List<(string Counter, long MicroDollars, TimeSpan? ExpiresIn)>();
        await CollectAsync(SpendCounterKeys.Owner.Key, "key_id", keyIds, now, writes, cancellationToken);
        await CollectAsync(SpendCounterKeys.Owner.User, "charged_user_id", userIds, now, writes, cancellationToken);

        var redisDb = await redis.GetDatabaseAsync();
        var batch = redisDb.CreateBatch();
        var pending = writes.Select(w => batch.StringSetAsync(redis.Key(w.Counter), w.MicroDollars, w.ExpiresIn, StackExchange.Redis.When.Always)).ToList();
        batch.Execute();
        await Task.WhenAll(pending).WaitAsync(cancellationToken);
        LogRebuilt(logger, keyIds.Count, userIds.Count, writes.Count);
        return writes.Count;
    }

    private async Task CollectAsync(SpendCounterKeys.Owner owner, string column, List<string> ids, DateTimeOffset now, List<(string, long, TimeSpan?)> writes, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        var windows = SpendUnits.Select(u => (Unit: u, Window: u.Window(now))).ToArray();
        var sums = new Dictionary<string, long[]>(StringComparer.Ordinal);
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(SumSql.Replace("{owner}", column, StringComparison.Ordinal), connection);
            command.Parameters.AddWithValue(ids.ToArray());
            foreach (var (_, window) in windows)
            {
                command.Parameters.AddWithValue(window.Start.ToUnixTimeSeconds());
            }

            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                sums[reader.GetString(0)] = [reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5)];
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }

        foreach (var id in ids)
        {
            var values = sums.GetValueOrDefault(id) ?? new long[5];
            writes.Add((SpendCounterKeys.Total(owner, id), values[0], null));
            for (var i = 0; i < windows.Length; i++)
            {
                var (unit, (start, end)) = windows[i];
                writes.Add((SpendCounterKeys.Window(owner, id, unit, start), values[i + 1], end - now));
            }
        }
    }

    [LoggerMessage(5400, LogLevel.Information, "Rebuilt the spend counters of {Keys} keys and {Users} end users from PostgreSQL ({Counters} counters)")]
    private static partial void LogRebuilt(ILogger logger, int keys, int users, int counters);
}
