using Gateway.Domain.Usage.Ingest;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// A standalone consumer's view of its queue being unreachable: retried with capped exponential
/// backoff for as long as it takes, one warning and one count per outage (not per retry), and an
/// information line when the queue answers again. Never throws: a consumer must outlive any outage.
/// </summary>
internal sealed partial class ConsumerOutage(string transport, string queue, UsageIngestMetrics metrics, TimeProvider time, ILogger logger)
{
    /// <summary>The longest wait between retries: an outage's end is noticed within this.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset? _since;

    /// <summary>Records a failed receive; returns how long to wait before the next.</summary>
    public TimeSpan Failed(Exception exception)
    {
        int failures;
        bool first;
        lock (_gate)
        {
            failures = ++_failures;
            first = _since is null;
            _since ??= time.GetUtcNow();
        }

        var delay = Backoff(failures);
        if (first)
        {
            metrics.ConsumerOutage(transport);
            LogOutage(logger, transport, queue, delay, exception);
        }
        else
        {
            LogStillDown(logger, transport, queue, failures, exception.Message);
        }

        return delay;
    }

    /// <summary>Records a receive that worked.</summary>
    public void Succeeded()
    {
        if (Volatile.Read(ref _failures) == 0)
        {
            return;
        }

        DateTimeOffset? since;
        int failures;
        lock (_gate)
        {
            since = _since;
            failures = _failures;
            _since = null;
            _failures = 0;
        }

        if (since is { } start)
        {
            LogRecovered(logger, transport, queue, time.GetUtcNow() - start, failures);
        }
    }

    /// <summary>100 ms, doubling, capped at <see cref="MaxBackoff"/>.</summary>
    public static TimeSpan Backoff(int attempt)
        => TimeSpan.FromMilliseconds(Math.Min(MaxBackoff.TotalMilliseconds, 100 * Math.Pow(2, Math.Clamp(attempt, 1, 16) - 1)));

    [LoggerMessage(3220, LogLevel.Warning, "Usage queue unreachable ({Transport} {Queue}); retrying every {Delay} or so until it is back (logged once per outage)")]
    private static partial void LogOutage(ILogger logger, string transport, string queue, TimeSpan delay, Exception exception);

    [LoggerMessage(3221, LogLevel.Debug, "Usage queue still unreachable ({Transport} {Queue}), attempt {Attempt}: {Message}")]
    private static partial void LogStillDown(ILogger logger, string transport, string queue, int attempt, string message);

    [LoggerMessage(3222, LogLevel.Information, "Usage queue reachable again ({Transport} {Queue}) after {Duration} and {Failures} failed attempts")]
    private static partial void LogRecovered(ILogger logger, string transport, string queue, TimeSpan duration, int failures);
}
