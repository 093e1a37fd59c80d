using Gateway.Domain.Redis;
using Gateway.Domain.Usage.Ingest;
using StackExchange.Redis;

namespace Gateway.Domain.Usage.Spend;

/// <summary>
/// Step 2 of ingest: adds a batch's costs (nano-dollars) to the spend counters in one script call, at
/// most once per event id. For each event the script sets <c>spend-applied:{eventId}</c> with NX and
/// counts the event only when it set it; then it adds the counted events' sums to each counter once.
/// Counters: the key's and the end user's total, and the event's window of every spend unit (m, h, d,
/// mo) with EXPIREAT at the window's end (<see cref="SpendCounter"/>).
/// </summary>
public sealed class SpendApplier(RedisConnection redis, TimeProvider time)
{
    /// <summary>How long the marker outlives a charge: past any redelivery of a message that the ledger has not marked applied yet.</summary>
    public static readonly TimeSpan MarkerLifetime = TimeSpan.FromDays(7);

    // KEYS: the C counters, then one marker per event. ARGV[1]: marker TTL (s); ARGV[2]: C;
    // ARGV[3 .. 2 + C]: EXPIREAT of each counter (0: none); then per event: nano-dollars, the number
    // of its counters n, and their n indexes into KEYS. Returns how many events it counted.
    private const string Script = """
        local c = tonumber(ARGV[2])
        local sums = {}
        local counted = 0
        local a = 3 + c
        for m = c + 1, #KEYS do
          local amount = tonumber(ARGV[a])
          local n = tonumber(ARGV[a + 1])
          if redis.call('SET', KEYS[m], '1', 'NX', 'EX', ARGV[1]) then
            counted = counted + 1
            for j = 1, n do
              local k = tonumber(ARGV[a + 1 + j])
              sums[k] = (sums[k] or 0) + amount
            end
          end
          a = a + 2 + n
        end
        for k, sum in pairs(sums) do
          redis.call('INCRBY', KEYS[k], sum)
          local at = tonumber(ARGV[2 + k])
          if at > 0 then redis.call('EXPIREAT', KEYS[k], at) end
        end
        return counted
        """;

    /// <summary>The marker's name (before the deployment's key prefix).</summary>
    public static string MarkerKey(string eventId) => $"spend-applied:{eventId}";

    /// <summary>Charges the entries not charged before; returns how many this call charged.</summary>
    public async Task<int> ApplyAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return 0;
        }

        var now = time.GetUtcNow();
        var counterIndex = new Dictionary<SpendCounter, int>();
        var counterKeys = new List<RedisKey>();
        var expiries = new List<RedisValue>();
        var perEvent = new List<RedisValue>();
        var markers = new List<RedisKey>(entries.Count);
        var counters = new List<SpendCounter>();
        foreach (var entry in entries)
        {
            var nano = entry.NanoUsd;
            counters.Clear();
            if (nano != 0)
            {
                SpendCounter.AddFor(entry, now, counters);
            }

            markers.Add(redis.Key(MarkerKey(entry.EventId)));
            perEvent.Add(nano);
            perEvent.Add(counters.Count);
            foreach (var counter in counters)
            {
                if (!counterIndex.TryGetValue(counter, out var index))
                {
                    counterKeys.Add(redis.Key(counter.RedisName));
                    expiries.Add(counter.WindowEnd?.ToUnixTimeSeconds() ?? 0);
                    index = counterKeys.Count; // 1-based, as Lua indexes KEYS
                    counterIndex.Add(counter, index);
                }

                perEvent.Add(index);
            }
        }

        RedisValue[] args = [(long)MarkerLifetime.TotalSeconds, counterKeys.Count, .. expiries, .. perEvent];
        var db = await redis.GetDatabaseAsync();
        var result = await db.ScriptEvaluateAsync(Script, [.. counterKeys, .. markers], args).WaitAsync(cancellationToken);
        return (int)(long)result;
    }
}
