using Gateway.Functions.Providers;
using Gateway.Functions.Telemetry;

namespace Gateway.Functions.Pipeline;

/// <summary>
/// Runs a request through the registered steps, in order, over one <see cref="ProxyContext"/>.
/// </summary>
/// <remarks>
/// <code>
///  authenticate   gateway key (x-api-key | api-key | Authorization) → IApiKeyStore
///  authorize      revoked, ttl, allowedPaths, known path, a setting of this provider
///  read body      gateway headers; JSON bodies whole (bounded) for model / stream / user; uploads stream through
///  (privacy)      issue 10x inserts here
///  model + user   allowedModels, the end user matched once (revoked, ttl, paths, models)
///  limits         one Redis script: rate windows and spend, for the key and its end user
///  (cache)        inserted here later
///  attempts       the settings to try, in order (rotation; routing replaces this step)
///  forward        adapter maps the request, the forwarder sends and relays (SSE event by event)
///  usage event    handed to the publisher, never awaited; runs even when a step ended the request
/// </code>
/// A step that ends the request returns a <see cref="ProxyOutcome"/>; the pipeline writes it in the
/// adapter's error shape at once, and only steps registered as always-running still run.
/// </remarks>
internal sealed partial class ProxyPipeline
{
    private readonly IProxyStep[] _steps;
    private readonly bool[] _alwaysRuns;
    private readonly TimeProvider _time;
    private readonly ProxyShutdown _shutdown;
    private readonly ILogger<ProxyPipeline> _logger;
    private readonly ProxyTelemetry? _telemetry;
    private readonly int _forwardIndex;

    public ProxyPipeline(IEnumerable<ProxyStepRegistration> registrations, IServiceProvider services, TimeProvider time, ProxyShutdown shutdown, ILogger<ProxyPipeline> logger)
    {
        ArgumentNullException.ThrowIfNull(registrations);
        ArgumentNullException.ThrowIfNull(services);
        var ordered = registrations.OrderBy(static r => r.Order).ToArray();
        _steps = Array.ConvertAll(ordered, r => (IProxyStep)services.GetRequiredService(r.StepType));
        _alwaysRuns = Array.ConvertAll(ordered, static r => r.AlwaysRuns);
        StepTypes = Array.ConvertAll(ordered, static r => r.StepType);
        _time = time;
        _shutdown = shutdown;
        _logger = logger;

        // The upstream call's span wraps the forward step here, in the runner, so the HTTP client's
        // spans nest under it: a span started by an earlier step would not stay Activity.Current
        // (it does not flow back out of an awaited step).
        _telemetry = services.GetService<ProxyTelemetry>();
        _forwardIndex = Array.FindIndex(ordered, static r => r.Order == ProxyStepOrder.Forward);
    }

    /// <summary>The steps, in the order they run.</summary>
    public IReadOnlyList<Type> StepTypes { get; }

    public async Task RunAsync(HttpContext http, IProviderAdapter adapter, string path, string? deploymentId)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var drain = _shutdown.AbortAfterGrace(http);
        using var context = new ProxyContext
        {
            Http = http,
            Adapter = adapter,
            Path = path,
            DeploymentId = deploymentId,
            StartedTimestamp = _time.GetTimestamp(),
            CreatedAt = _time.GetUtcNow(),
            Aborted = http.RequestAborted,
        };

        for (var i = 0; i < _steps.Length; i++)
        {
            if (context.Outcome is not null && !_alwaysRuns[i])
            {
                continue;
            }

            var upstream = i == _forwardIndex ? _telemetry?.StartUpstream(context) : null;
            var step = _steps[i];
            StepResult result;
            try
            {
                // Awaited here rather than in a helper: a step that completes synchronously (most do)
                // costs no state machine of its own, and one that waits adds none on top of this one.
                result = await step.RunAsync(context);
            }
            catch (Exception ex)
            {
                result = Failed(step, context, ex);
            }

            if (result.Outcome is { } outcome && context.Outcome is null)
            {
                context.Outcome = outcome;
                context.Status = outcome.Status;
                if (outcome.Kind == ProxyErrorKind.ClientGone)
                {
                    context.ClientDisconnected = true;
                }

                await ProxyErrorWriter.WriteAsync(http, adapter.ErrorStyle, outcome);
            }

            if (i == _forwardIndex)
            {
                _telemetry?.StopUpstream(context, upstream);
            }
        }
    }

    private StepResult Failed(IProxyStep step, ProxyContext context, Exception exception)
    {
        if (exception is OperationCanceledException && context.Aborted.IsCancellationRequested)
        {
            LogClientGone(_logger, context.PublicPath);
            return StepResult.End(ProxyOutcome.ClientGone);
        }

        // A bug, not bad input: answer 500 (or cut a started response) and still record the event.
        LogStepFailed(_logger, step.GetType().Name, exception);
        return StepResult.End(new ProxyOutcome(500, ProxyErrorKind.Internal, "internal error"));
    }

    [LoggerMessage(4001, LogLevel.Debug, "Client disconnected from {Path}; upstream request cancelled")]
    private static partial void LogClientGone(ILogger logger, string path);

    [LoggerMessage(4005, LogLevel.Error, "Proxy step {Step} failed")]
    private static partial void LogStepFailed(ILogger logger, string step, Exception exception);
}
