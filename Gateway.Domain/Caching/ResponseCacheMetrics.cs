using System.Diagnostics.Metrics;

namespace Gateway.Domain.Caching;

/// <summary>
/// Counters of meter <c>Gateway.Cache</c>: <c>gateway.cache.lookups</c> (tag <c>result</c>: <c>hit</c>,
/// <c>miss</c>), <c>gateway.cache.stores</c>, <c>gateway.cache.skipped</c> (tag <c>reason</c>:
/// <c>too_large</c>, <c>incomplete</c>) and <c>gateway.cache.failures</c> (tag <c>operation</c>); running totals for logs and tests.
/// </summary>
public sealed class ResponseCacheMetrics
{
    private readonly Counter<long> _lookups;
    private readonly Counter<long> _stores;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _failures;
    private long _hits;
    private long _misses;
    private long _stored;
    private long _failed;

    public ResponseCacheMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create("Gateway.Cache");
        _lookups = meter.CreateCounter<long>("gateway.cache.lookups", description: "Response cache lookups, by result (hit, miss)");
        _stores = meter.CreateCounter<long>("gateway.cache.stores", description: "Answers stored in the response cache");
        _skipped = meter.CreateCounter<long>("gateway.cache.skipped", description: "Misses not stored, by reason (too_large, incomplete)");
        _failures = meter.CreateCounter<long>("gateway.cache.failures", description: "Response cache operations that failed (each served as a miss), by operation");
    }

    public long Hits => Interlocked.Read(ref _hits);

    public long Misses => Interlocked.Read(ref _misses);

    public long Stored => Interlocked.Read(ref _stored);

    public long Failures => Interlocked.Read(ref _failed);

    public void Hit()
    {
        _lookups.Add(1, new KeyValuePair<string, object?>("result", "hit"));
        Interlocked.Increment(ref _hits);
    }

    public void Miss()
    {
        _lookups.Add(1, new KeyValuePair<string, object?>("result", "miss"));
        Interlocked.Increment(ref _misses);
    }

    public void Store()
    {
        _stores.Add(1);
        Interlocked.Increment(ref _stored);
    }

    public void Skipped(string reason) => _skipped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Failed(string operation)
    {
        _failures.Add(1, new KeyValuePair<string, object?>("operation", operation));
        Interlocked.Increment(ref _failed);
    }
}
