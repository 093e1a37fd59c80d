using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text.Json;
using Gateway.Domain.Config;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Domain.Keys;

/// <summary>
/// Finds keys for the proxy: in the in-memory config copy (synchronously), and, for a key the copy
/// does not hold yet, in the Redis config cache, so that a key is usable on every instance as soon
/// as the admin API has answered (read-your-writes).
/// </summary>
/// <remarks>
/// <code>
///  1 copy         the current snapshot: the answer for every key it holds (revocations arrive here)
///  2 miss cache   recent Redis answers: unknown for NegativeCacheTtl, found for PositiveTtl at most
///  3 single-flight one Redis lookup per hash at a time; others await it
///  4 bound        at most MaxConcurrentLookups lookups per instance; beyond that, unknown
///  5 Redis        hash index → key row, then the key's provider settings; a hit nudges a reload
/// </code>
/// A found key comes with a snapshot holding it and its settings; end users and custom providers
/// come from the copy (a user written in the same second arrives with the reload).
/// </remarks>
internal sealed class CachedApiKeyStore : IApiKeyStore, IDisposable
{
    /// <summary>
    /// A key found in Redis but not yet in the copy is served from here at most this long before it
    /// is looked up again; the reload it triggers normally makes it moot much sooner. Below the 1 s
    /// revocation bound, so that a key revoked right after its creation is never served longer.
    /// </summary>
    private static readonly TimeSpan PositiveTtl = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a lookup waits for a free slot before answering unknown.</summary>
    private static readonly TimeSpan SlotWait = TimeSpan.FromMilliseconds(250);

    /// <summary>A lookup Redis does not answer within this is treated as failed (answered as unknown).</summary>
    private static readonly TimeSpan LookupTimeout = TimeSpan.FromSeconds(1);

    private const int MaxRemembered = 10_000;

    private readonly ConfigSnapshotHolder _config;
    private readonly ConfigCacheReader _reader;
    private readonly ConfigSyncService _sync;
    private readonly TimeProvider _time;
    private readonly ILogger<CachedApiKeyStore> _logger;
    private readonly TimeSpan _negativeTtl;
    private readonly SemaphoreSlim _slots;
    private readonly ConcurrentDictionary<ApiKeyHash, Remembered> _remembered = new();
    private readonly ConcurrentDictionary<ApiKeyHash, Task<Remembered?>> _inFlight = new();
    private readonly Counter<long> _lookups;
    private int _sweeping;

    public CachedApiKeyStore(
        ConfigSnapshotHolder config,
        ConfigCacheReader reader,
        ConfigSyncService sync,
        IOptions<KeyLookupOptions> options,
        TimeProvider time,
        IMeterFactory meters,
        ILogger<CachedApiKeyStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _config = config;
        _reader = reader;
        _sync = sync;
        _time = time;
        _logger = logger;
        _negativeTtl = options.Value.NegativeCacheTtl;
        _slots = new SemaphoreSlim(options.Value.MaxConcurrentLookups);
        _lookups = meters.Create("Gateway.Keys").CreateCounter<long>("gateway.keys.redis_lookups", description: "Lookups of keys missing from the in-memory config copy in the Redis config cache, by outcome");
    }

    public ValueTask<KeyLookup> LookupAsync(ApiKeyHash hash, CancellationToken cancellationToken)
    {
        var snapshot = _config.Current;
        if (snapshot.KeysByHash.TryGetValue(hash, out var key))
        {
            return ValueTask.FromResult(new KeyLookup(key, snapshot));
        }

        if (hash.IsEmpty)
        {
            return ValueTask.FromResult(new KeyLookup(null, snapshot));
        }

        if (_remembered.TryGetValue(hash, out var remembered) && remembered.IsFresh(_time.GetTimestamp(), snapshot))
        {
            return ValueTask.FromResult(remembered.Answer(snapshot));
        }

        return LookupSlowAsync(hash, snapshot, cancellationToken);
    }

    public void Dispose() => _slots.Dispose();

    private async ValueTask<KeyLookup> LookupSlowAsync(ApiKeyHash hash, ConfigSnapshot snapshot, CancellationToken cancellationToken)
    {
        var ours = new TaskCompletionSource<Remembered?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var flight = _inFlight.GetOrAdd(hash, ours.Task);
        if (flight == ours.Task)
        {
            // Not the caller's token: others await this lookup too. It is bounded by SlotWait + LookupTimeout.
            try
            {
                ours.SetResult(await FetchAsync(hash, snapshot));
            }
            catch (Exception ex)
            {
                // Whoever awaits this lookup sees the same failure instead of waiting forever.
                ours.SetException(ex);
            }
            finally
            {
                _inFlight.TryRemove(new KeyValuePair<ApiKeyHash, Task<Remembered?>>(hash, ours.Task));
            }
        }

        var answer = await flight.WaitAsync(cancellationToken);
        return answer?.Answer(snapshot) ?? new KeyLookup(null, snapshot);
    }

    /// <summary>Looks <paramref name="hash"/> up in Redis; null when no answer can be given (shed or failed).</summary>
    private async Task<Remembered?> FetchAsync(ApiKeyHash hash, ConfigSnapshot snapshot)
    {
        if (!await _slots.WaitAsync(SlotWait))
        {
            Count("shed");
            KeyLookupLog.LookupShed(_logger);
            return null;
        }

        try
        {
            var found = await _reader.FindKeyAsync(hash).WaitAsync(LookupTimeout, _time);
            var now = _time.GetTimestamp();
            Remembered remembered;
            if (found is { } hit)
            {
                Count("found");
                KeyLookupLog.FoundAheadOfCopy(_logger, snapshot.Version);
                _sync.RequestReload();
                remembered = new Remembered(hit.Key, snapshot.WithKey(hit.Key, hit.Settings), snapshot.Stamp, now + Ticks(PositiveTtl));
            }
            else
            {
                Count("unknown");
                remembered = new Remembered(null, null, snapshot.Stamp, now + Ticks(_negativeTtl));
            }

            Remember(hash, remembered, now);
            return remembered;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or JsonException)
        {
            Count("failed");
            KeyLookupLog.LookupFailed(_logger, ex);
            return null;
        }
        finally
        {
            _slots.Release();
        }
    }

    private void Remember(ApiKeyHash hash, Remembered remembered, long now)
    {
        if (_remembered.Count >= MaxRemembered && Interlocked.Exchange(ref _sweeping, 1) == 0)
        {
            try
            {
                foreach (var (stale, entry) in _remembered)
                {
                    if (entry.ExpiresAt <= now)
                    {
                        _remembered.TryRemove(stale, out _);
                    }
                }
            }
            finally
            {
                Volatile.Write(ref _sweeping, 0);
            }
        }

        // Still full of live answers (a flood of distinct unknown keys): answer without remembering;
        // the slot bound still caps what the flood costs Redis.
        if (_remembered.Count < MaxRemembered)
        {
            _remembered[hash] = remembered;
        }
    }

    private void Count(string outcome) => _lookups.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    /// <summary>A Redis answer: the key (null: unknown) and the snapshot that holds it, read at <see cref="Stamp"/>.</summary>
    private sealed record Remembered(ApiKey? Key, ConfigSnapshot? Snapshot, ConfigCacheStamp Stamp, long ExpiresAt)
    {
        // A found key is only good on the copy it was merged into: once the copy moves on, it either
        // holds the key (step 1 answers) or the key is looked up again.
        public bool IsFresh(long now, ConfigSnapshot current)
            => now < ExpiresAt && (Key is null || Stamp == current.Stamp);

        public KeyLookup Answer(ConfigSnapshot current) => Key is null ? new KeyLookup(null, current) { Absent = true } : new KeyLookup(Key, Snapshot!);
    }
}
