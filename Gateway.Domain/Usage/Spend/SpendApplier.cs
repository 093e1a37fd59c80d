using Gateway.Domain.Limits;
using Gateway.Domain.Redis;
using Gateway.Domain.Usage.Ingest;
using StackExchange.Redis;

namespace Gateway.Domain.Usage.Spend;

/// <summary>
/// Adds an event's cost (micro-dollars) to its key's and end user's spend counters, at most once per
/// event id: one script sets <c>spend-applied:{eventId}</c> with NX and increments the counters only
/// when it set it. Counters: the total, and the event's window of every spend unit (m, h, d, mo)
/// with EXPIREAT at the window's end.
/// </summary>
/// <remarks>
/// Every unit rather than the one the key is configured with: no PostgreSQL read per event, and a key
/// whose <c>costLimitInUsdUnit</c> changes mid-window finds that window's spend already counted. The
/// windows are those of the event's time (the request's), as the proxy checks them.
/// </remarks>
public sealed class SpendApplier(RedisConnection redis, TimeProvider time)
{
    /// <summary>How long the marker outlives a charge: past any redelivery of a message that the ledger has not marked applied yet.</summary>
    public static readonly TimeSpan MarkerLifetime = TimeSpan.FromDays(7);

    private static readonly LimitUnit[] SpendUnits = [LimitUnit.Minute, LimitUnit.Hour, LimitUnit.Day, LimitUnit.Month];

    // KEYS[1]: the marker; KEYS[2..]: counters. ARGV[1]: marker TTL (s); ARGV[2]: micro-dollars;
    // ARGV[i + 1]: EXPIREAT of KEYS[i] (0: none). Returns 1 when it charged, 0 when already charged.
    private const string Script = """
        if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then
          return 0
        end
        for i = 2, #KEYS do
          redis.call('INCRBY', KEYS[i], ARGV[2])
          local at = tonumber(ARGV[i + 1])
          if at > 0 then redis.call('EXPIREAT', KEYS[i], at) end
        end
        return 1
        """;

    /// <summary>The marker's name (before the deployment's key prefix).</summary>
    public static string MarkerKey(string eventId) => $"spend-applied:{eventId}";

    /// <summary>Step 2 of ingest. True when this call charged; false when the event was charged before.</summary>
    public async Task<bool> ApplyAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var amount = SpendCounterKeys.ToMicroDollars(entry.CostInUsd);
        var keys = new List<RedisKey> { redis.Key(MarkerKey(entry.EventId)) };
        var args = new List<RedisValue> { (long)MarkerLifetime.TotalSeconds, amount };
        if (amount != 0)
        {
            AddCounters(SpendCounterKeys.Owner.Key, entry.KeyId, entry.CreatedAt, keys, args);
            if (!string.IsNullOrEmpty(entry.ChargedUserId))
            {
                AddCounters(SpendCounterKeys.Owner.User, entry.ChargedUserId, entry.CreatedAt, keys, args);
            }
        }

        var db = await redis.GetDatabaseAsync();
        var result = await db.ScriptEvaluateAsync(Script, [.. keys], [.. args]).WaitAsync(cancellationToken);
        return (long)result == 1;
    }

    private void AddCounters(SpendCounterKeys.Owner owner, string id, long createdAt, List<RedisKey> keys, List<RedisValue> args)
    {
        keys.Add(redis.Key(SpendCounterKeys.Total(owner, id)));
        args.Add(0);
        var at = DateTimeOffset.FromUnixTimeSeconds(createdAt);
        var now = time.GetUtcNow();
        foreach (var unit in SpendUnits)
        {
            var (start, end) = unit.Window(at);
            if (end <= now)
            {
                continue; // The window is over: nothing reads it any more.
            }

            keys.Add(redis.Key(SpendCounterKeys.Window(owner, id, unit, start)));
            args.Add(end.ToUnixTimeSeconds());
        }
    }
}
