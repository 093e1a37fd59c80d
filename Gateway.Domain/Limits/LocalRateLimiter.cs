using System.Collections.Concurrent;

namespace Gateway.Domain.Limits;

/// <summary>
/// The per-instance fallback for request-rate limits while Redis is unreachable: the same fixed
/// windows, counted in this process only (so N instances admit up to N times the limit).
/// </summary>
public sealed class LocalRateLimiter
{
    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    /// <summary>Checks every window and counts in all of them only if all have room.</summary>
    public bool TryAcquire(IReadOnlyList<(string Counter, long Limit, DateTimeOffset WindowEnd)> windows, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(windows);
        lock (_counters)
        {
            foreach (var (name, limit, _) in windows)
            {
                if (_counters.TryGetValue(name, out var counter) && counter.Count + 1 > limit)
                {
                    return false;
                }
            }

            foreach (var (name, _, end) in windows)
            {
                _counters.AddOrUpdate(name, static (_, e) => new Counter(1, e), static (_, c, _) => c with { Count = c.Count + 1 }, end);
            }

            // Forget windows that are over; bounded by the number of live windows.
            if (_counters.Count > 10_000)
            {
                foreach (var (name, counter) in _counters)
                {
                    if (counter.WindowEnd <= now)
                    {
                        _counters.TryRemove(name, out _);
                    }
                }
            }
        }

        return true;
    }

    private sealed record Counter(long Count, DateTimeOffset WindowEnd);
}
