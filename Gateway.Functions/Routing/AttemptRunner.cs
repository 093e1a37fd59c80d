using Gateway.Domain.Routing;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Routing;

/// <summary>
/// Runs a request's attempts in order until one answers: each route step with its retries and
/// backoff (<see cref="RouteRetryPipelines"/>), each rotated setting through its circuit breaker
/// (<see cref="SettingHealth"/>). A retryable failure (transport error, no headers in time, 408,
/// 409, 429, 5xx, or a body that fails before its first byte) moves on; a client error (other
/// 4xx) or a success is the answer. Failed attempts are kept on the context for their events.
/// </summary>
/// <remarks>
/// <code>
///  for each attempt          (route steps in order | the rotation's pick, then the next healthy setting)
///    retry pipeline          a route step's retries, Retry-After or backoff between them (Polly)
///      breaker               rotated settings only: the outcome counts towards the setting's health (Polly)
///        send                adapter URL + credential, the attempt's body and time to headers
///        first byte          a 2xx body is read up to its first bytes before anything reaches the client
///    success | client error  → the answer; retryable → the next attempt (the last one's failure is the answer)
/// </code>
/// </remarks>
internal sealed partial class AttemptRunner(
    ProxyForwarder forwarder,
    IProviderSecrets secrets,
    SettingHealth health,
    RouteRetryPipelines routePipelines,
    IOptions<ProxyOptions> options,
    TimeProvider time,
    ILogger<AttemptRunner> logger)
{
    private readonly ProxyForwarder _forwarder = forwarder;
    private readonly IProviderSecrets _secrets = secrets;
    private readonly SettingHealth _health = health;
    private readonly TimeSpan _idleTimeout = options.Value.IdleTimeout;
    private readonly TimeProvider _time = time;
    private readonly ILogger _logger = logger;

    /// <summary>
    /// The answer to relay (<see cref="AttemptRun.Response"/>, with its timeouts), or why there is
    /// none; the caller disposes it. <see cref="ProxyContext.Attempt"/> is the attempt that answered.
    /// </summary>
    public async Task<AttemptRun> RunAsync(ProxyContext context)
    {
        var run = new AttemptRun(this, context);
        var rotated = context.Key!.RotationEnabled && context.Settings.Count > 1;
        var replayable = context.Body is not null || !Pipeline.Steps.ReadBodyStep.HasBody(context.Http.Request);
        try
        {
            for (var i = 0; i < context.Attempts.Count; i++)
            {
                var attempt = context.Attempts[i];
                if (attempt.Adapter.MapUri(context, attempt) is not { } uri)
                {
                    // A misconfigured setting: the next attempt may still answer; with none tried, it is the answer.
                    LogMissingParameter(_logger, attempt.Setting.Id);
                    if (run.Tries == 0 && i + 1 == context.Attempts.Count)
                    {
                        context.Attempt = attempt;
                        run.Refused = new ProxyOutcome(500, ProxyErrorKind.Internal, $"provider setting {attempt.Setting.Id} is missing a required parameter");
                    }

                    continue;
                }

                run.Attempt = attempt;
                context.Attempt = attempt;
                run.Uri = uri;
                AttemptOutcome outcome;
                if (attempt.RouteStep is { } step && context.Route is { } route)
                {
                    outcome = await routePipelines.For(route, step).Pipeline.ExecuteAsync(static (run, ct) => run.TryOnceAsync(ct), run, context.Aborted);
                }
                else if (rotated && attempt.RouteStep is null)
                {
                    outcome = await run.TryThroughBreakerAsync(context.Aborted);
                }
                else
                {
                    // Nothing to retry and no breaker: no pipeline either (an empty one would only add its context and layers).
                    outcome = await run.TryOnceAsync(context.Aborted);
                }

                if (outcome.Verdict != AttemptVerdict.Retryable || !replayable || run.RequestBodyRefused)
                {
                    break;
                }

                if (i + 1 < context.Attempts.Count)
                {
                    LogFailedOver(_logger, attempt.Adapter.Name, attempt.Setting.Id, outcome.Status, attempt.RouteStep ?? -1);
                }
            }

            return run;
        }
        catch
        {
            run.Dispose();
            throw;
        }
    }

    [LoggerMessage(4200, LogLevel.Information, "Upstream {Provider} (setting {SettingId}) failed with {Status}; trying the next attempt (route step {Step})")]
    private static partial void LogFailedOver(ILogger logger, string provider, string settingId, int status, int step);

    [LoggerMessage(4202, LogLevel.Error, "Provider setting {SettingId} is missing a parameter its provider needs; its attempt is skipped")]
    private static partial void LogMissingParameter(ILogger logger, string settingId);

    [LoggerMessage(4201, LogLevel.Debug, "Upstream {Provider} answered {Status}; attempt {Attempt} of this request")]
    private static partial void LogAttempt(ILogger logger, string provider, int status, int attempt);

    /// <summary>The state of one request's attempts: the try in hand, and what was tried before it.</summary>
    internal sealed class AttemptRun(AttemptRunner runner, ProxyContext context) : IDisposable
    {
        private long _started;

        public UpstreamAttempt? Attempt { get; set; }

        public Uri? Uri { get; set; }

        /// <summary>The current try's answer (headers arrived), or null when it got none.</summary>
        public HttpResponseMessage? Response { get; private set; }

        /// <summary>The body of a 2xx answer, its first bytes already read (<see cref="FirstBytePeek"/>); null for any other status.</summary>
        public Stream? Body { get; private set; }

        /// <summary>The current try's timeouts; the relay re-arms them.</summary>
        public ForwardTimeouts? Timeouts { get; private set; }

        /// <summary>Why the current try got no answer.</summary>
        public ForwardResult Failure { get; private set; }

        /// <summary>A problem with the request itself (a setting missing a parameter): no attempt is made.</summary>
        public ProxyOutcome? Refused { get; set; }

        public bool RequestBodyRefused => Failure.Error == ForwardError.RequestBodyRefused;

        /// <summary>Upstream requests sent for this client request so far.</summary>
        public int Tries { get; private set; }

        private AttemptOutcome _outcome;

        public ValueTask<AttemptOutcome> TryThroughBreakerAsync(CancellationToken cancellationToken)
            => runner._health.IsAvailable(Attempt!.Setting.Id)
                ? TryInBreakerAsync(cancellationToken)
                // Every setting is cooling down (the rotation picked one anyway): send without the breaker.
                : TryOnceAsync(cancellationToken);

        private async ValueTask<AttemptOutcome> TryInBreakerAsync(CancellationToken cancellationToken)
            => await runner._health.ExecuteAsync(Attempt!.Setting.Id, static (run, ct) => run.TryOnceAsync(ct), this, cancellationToken)
                ?? await TryOnceAsync(cancellationToken);

        public async ValueTask<AttemptOutcome> TryOnceAsync(CancellationToken cancellationToken)
        {
            RetirePrevious();
            var attempt = Attempt!;
            LastAttempt = attempt;
            Tries++;
            _started = runner._time.GetTimestamp();
            Timeouts = new ForwardTimeouts(runner._time, context.Aborted);
            if (attempt.Body is null && context.Body is { Stream: true, UsageChunkRequested: false } body && attempt.Adapter.CanForceUsageChunk(context, attempt))
            {
                body.RequestUsageChunk();
            }

            using var message = ProxyForwarder.CreateRequest(context.Http, Uri!, attempt.Body ?? context.Body?.Bytes);
            var secrets = context.ProviderKey?.Credentials ?? runner._secrets.Get(attempt.Setting);
            attempt.Adapter.ApplyCredential(message.Headers, secrets);
            if (attempt.Headers is { } headers)
            {
                for (var i = 0; i < headers.Count; i++)
                {
                    // A translated attempt's own headers (anthropic-version) replace the client's.
                    var (name, value) = headers[i];
                    message.Headers.Remove(name);
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            }

            attempt.Adapter.PrepareRequest(message, context, attempt, secrets);

            var (response, sent) = await runner._forwarder.SendAsync(message, Timeouts, attempt.HeadersTimeout ?? context.HeadersTimeout, context.Aborted);
            Failure = sent;
            cancellationToken.ThrowIfCancellationRequested();
            if (sent.Error == ForwardError.ClientGone)
            {
                throw new OperationCanceledException(context.Aborted);
            }

            if (response is null)
            {
                return _outcome = sent.Error == ForwardError.RequestBodyRefused ? new AttemptOutcome(AttemptVerdict.ClientError, 400) : AttemptOutcome.NoResponse;
            }

            attempt.Adapter.AdaptResponse(response);
            Response = response;
            var status = (int)response.StatusCode;
            LogAttempt(runner._logger, attempt.Adapter.Name, status, Tries);
            if (status is >= 200 and < 300)
            {
                Body = await FirstBytePeek.TryAsync(response, Timeouts, runner._idleTimeout, context.Aborted);
                if (Body is null)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    Failure = new ForwardResult(Timeouts.TimedOut ? ForwardError.HeadersTimeout : ForwardError.UpstreamDropped);
                    Response = null;
                    response.Dispose();
                    return _outcome = AttemptOutcome.NoResponse;
                }

                return _outcome = AttemptOutcome.FromStatus(status);
            }

            // Only 429 and 503 carry a wait on (AttemptOutcome.FromStatus): no header lookups for the others.
            var retryAfter = status is 429 or 503
                ? RetryAfterHeader.Parse(Header(response, "retry-after-ms"), Header(response, "Retry-After"), runner._time.GetUtcNow())
                : null;
            return _outcome = AttemptOutcome.FromStatus(status, retryAfter);
        }

        /// <summary>The try in hand failed and another one starts: it is recorded for its event and let go.</summary>
        private void RetirePrevious()
        {
            if (Tries == 0)
            {
                return;
            }

            var status = _outcome.Status != 0 ? _outcome.Status
                : Failure.Error == ForwardError.HeadersTimeout ? StatusCodes.Status504GatewayTimeout
                : StatusCodes.Status502BadGateway;
            var latency = (int)runner._time.GetElapsedTime(_started).TotalMilliseconds;
            context.FailedAttempts.Add(new FailedAttempt(LastAttempt!, status, latency, runner._time.GetUtcNow() - TimeSpan.FromMilliseconds(latency)));
            DisposeCurrent();
        }

        private UpstreamAttempt? LastAttempt { get; set; }

        public void Dispose() => DisposeCurrent();

        private void DisposeCurrent()
        {
            Body?.Dispose();
            Body = null;
            Response?.Dispose();
            Response = null;
            Timeouts?.Dispose();
            Timeouts = null;
        }

        private static string? Header(HttpResponseMessage response, string name)
            => response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
    }
}
