using Gateway.Functions.Forwarding;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Pipeline;

/// <summary>
/// Graceful stop: on SIGTERM the host stops accepting connections and waits for in-flight
/// requests; those still running when <c>Proxy__ShutdownGrace</c> runs out are aborted (their
/// upstream calls cancelled, their usage events still published) so the process exits in time.
/// </summary>
/// <remarks>
/// Also a hosted service registered after the usage publisher: hosted services stop in reverse
/// order, right after Kestrel, so its stop marks the moment every request has finished (logged,
/// with the time since SIGTERM) and comes before the publisher's flush.
/// </remarks>
internal sealed partial class ProxyShutdown : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _graceOver;
    private readonly ILogger<ProxyShutdown> _logger;
    private readonly TimeSpan _grace;
    private readonly TimeProvider _time;
    private CancellationTokenRegistration _stopping;
    private long _stoppingAt;

    public ProxyShutdown(IHostApplicationLifetime lifetime, IOptions<ProxyOptions> options, TimeProvider time, ILogger<ProxyShutdown> logger)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        ArgumentNullException.ThrowIfNull(options);
        _grace = options.Value.ShutdownGrace;
        _graceOver = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _logger = logger;
        _time = time;
        _stopping = lifetime.ApplicationStopping.Register(static state => ((ProxyShutdown)state!).OnStopping(), this);
    }

    /// <summary>Aborts <paramref name="http"/> if it is still running when the grace is over.</summary>
    public CancellationTokenRegistration AbortAfterGrace(HttpContext http)
        => _graceOver.Token.UnsafeRegister(static state => ((HttpContext)state!).Abort(), http);

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken)
    {
        LogDrained(_logger, _time.GetElapsedTime(Interlocked.Read(ref _stoppingAt)));
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stopping.Dispose();
        _graceOver.Dispose();
    }

    private void OnStopping()
    {
        Interlocked.Exchange(ref _stoppingAt, _time.GetTimestamp());
        LogStopping(_logger, _grace);
        _graceOver.CancelAfter(_grace);
    }

    [LoggerMessage(4010, LogLevel.Information, "Stopping: in-flight requests have {Grace} to finish")]
    private static partial void LogStopping(ILogger logger, TimeSpan grace);

    [LoggerMessage(4011, LogLevel.Information, "Stopped serving: every request finished {Elapsed} after the stop signal")]
    private static partial void LogDrained(ILogger logger, TimeSpan elapsed);
}
