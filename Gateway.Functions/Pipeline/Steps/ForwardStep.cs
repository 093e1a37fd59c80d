using System.Globalization;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Routing;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// Runs the attempts (<see cref="AttemptRunner"/>: route steps with their retries, rotated settings
/// with their breakers, failover on retryable failures before the first byte) and relays the
/// answer, its usage read by the answering adapter's reader.
/// </summary>
internal sealed partial class ForwardStep(
    AttemptRunner runner,
    IOptions<ProxyOptions> options,
    ILogger<ForwardStep> logger) : IProxyStep
{
    public async ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        using var run = await runner.RunAsync(context);
        if (run.Refused is { } refused)
        {
            return StepResult.End(refused);
        }

        var headers = context.Http.Response.Headers;
        if (context.Attempt?.RouteStep is { } step)
        {
            // Also on the error when no step answered: how many upstream requests were tried.
            headers[RouteHeaders.Attempts] = run.Tries.ToString(CultureInfo.InvariantCulture);
            if (run.Response is not null)
            {
                headers[RouteHeaders.Step] = step.ToString(CultureInfo.InvariantCulture);
            }
        }

        if (run.Response is not { } response)
        {
            return StepResult.End(SendFailed(context, run.Failure));
        }

        // Relayed here rather than in an awaited helper: one state machine fewer per request.
        var relay = Relay(context, response);
        var result = await ProxyForwarder.RelayAsync(context.Http, response, run.Body, relay, run.Timeouts!, context.Aborted);
        context.ResponseCopy = relay.Copy;
        return await RelayedAsync(context, relay, result);
    }

    private RelayOptions Relay(ProxyContext context, HttpResponseMessage response)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        var isEventStream = mediaType == "text/event-stream";
        var upstream = context.Attempt!;
        var relay = new RelayOptions
        {
            Style = context.Adapter.ErrorStyle,
            IsEventStream = isEventStream,
            HideUsageChunk = isEventStream && context.Body is { Stream: true, ClientAskedForUsage: false, UsageChunkRequested: true },
            Usage = upstream.Adapter.CreateUsageReader(mediaType, context.Usage),
            Transforms = ResponseTransforms(context, upstream),
            Taps = context.ResponseTaps,
            IdleTimeout = options.Value.IdleTimeout,
            KeepCopy = context.Key!.ShouldLogResponse,
        };
        context.Status = (int)response.StatusCode;
        context.Streamed = isEventStream;
        return relay;
    }

    /// <summary>The step's answer once the relay ended; completes at once unless a stream error event is written.</summary>
    private async ValueTask<StepResult> RelayedAsync(ProxyContext context, RelayOptions relay, ForwardResult result)
    {
        var http = context.Http;
        var isEventStream = relay.IsEventStream;
        var upstream = context.Attempt!;
        switch (result.Error)
        {
            case ForwardError.None:
                return StepResult.Continue;
            case ForwardError.ClientGone:
                return StepResult.End(ProxyOutcome.ClientGone);
            case ForwardError.IdleTimeout when isEventStream:
                // A stalled stream ends with an error event the provider's SDK raises, not a silent cut.
                LogIdleTimeout(logger, context.UpstreamName, options.Value.IdleTimeout);
                context.Status = StatusCodes.Status504GatewayTimeout;
                await WriteStreamErrorAsync(http, ProxyErrorWriter.SseEvent(relay.Style, new ProxyOutcome(504, ProxyErrorKind.UpstreamTimeout,
                    $"upstream {context.UpstreamName} sent nothing for {options.Value.IdleTimeout.TotalSeconds:0.###} s")));
                return StepResult.Continue;
            case ForwardError.ResponseTooLarge:
                return StepResult.End(new ProxyOutcome(502, ProxyErrorKind.UpstreamUnreachable, $"upstream {context.UpstreamName} answered with a body too large to rewrite"));
            case ForwardError.IdleTimeout:
                LogIdleTimeout(logger, context.UpstreamName, options.Value.IdleTimeout);
                return StepResult.End(new ProxyOutcome(504, ProxyErrorKind.UpstreamTimeout, "upstream stalled"));
            case ForwardError.UpstreamDropped when isEventStream && upstream.RouteStep is not null:
                // Routes promise failover until the first byte and a clean error event after it.
                LogUpstreamDropped(logger, context.UpstreamName, result.Exception);
                context.Status = StatusCodes.Status502BadGateway;
                await WriteStreamErrorAsync(http, ProxyErrorWriter.SseEvent(relay.Style, new ProxyOutcome(502, ProxyErrorKind.UpstreamUnreachable,
                    $"upstream {context.UpstreamName} closed the connection mid-stream")));
                return StepResult.Continue;
            default:
                // The upstream dropped mid-body: the response has started, so the client's connection is cut too.
                LogUpstreamDropped(logger, context.UpstreamName, result.Exception);
                return StepResult.End(new ProxyOutcome(502, ProxyErrorKind.UpstreamUnreachable, $"upstream {context.UpstreamName} closed the connection"));
        }
    }

    private static List<IResponseTransform> ResponseTransforms(ProxyContext context, UpstreamAttempt upstream)
    {
        if (upstream.Translation is not { } translation)
        {
            return context.ResponseTransforms;
        }

        return [translation, .. context.ResponseTransforms];
    }

    private ProxyOutcome SendFailed(ProxyContext context, ForwardResult sent)
    {
        var name = context.UpstreamName;
        switch (sent.Error)
        {
            case ForwardError.ClientGone:
                return ProxyOutcome.ClientGone;
            case ForwardError.HeadersTimeout:
                var timeout = context.Attempt?.HeadersTimeout ?? context.HeadersTimeout;
                LogUpstreamTimeout(logger, name, timeout);
                return new ProxyOutcome(504, ProxyErrorKind.UpstreamTimeout, $"upstream did not answer within {timeout.TotalSeconds:0.###} s");
            case ForwardError.RequestBodyRefused when sent.RequestBodyStatus == StatusCodes.Status413PayloadTooLarge:
                return ProxyOutcome.TooLarge(options.Value.MaxUploadBytes);
            case ForwardError.RequestBodyRefused:
                return ProxyOutcome.BadRequest("request body is malformed: " + sent.Exception?.GetBaseException().Message);
            default:
                LogUpstreamUnreachable(logger, name, sent.Exception);
                return new ProxyOutcome(502, ProxyErrorKind.UpstreamUnreachable, $"upstream {name} is unreachable");
        }
    }

    private static async Task WriteStreamErrorAsync(HttpContext http, byte[] sseEvent)
    {
        try
        {
            await http.Response.Body.WriteAsync(sseEvent, http.RequestAborted);
            await http.Response.Body.FlushAsync(http.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The client is gone too.
        }
    }

    [LoggerMessage(4002, LogLevel.Warning, "Upstream {Provider} did not answer within {Timeout}")]
    private static partial void LogUpstreamTimeout(ILogger logger, string provider, TimeSpan timeout);

    [LoggerMessage(4003, LogLevel.Warning, "Upstream {Provider} is unreachable")]
    private static partial void LogUpstreamUnreachable(ILogger logger, string provider, Exception? exception);

    [LoggerMessage(4004, LogLevel.Warning, "Upstream {Provider} dropped the connection mid-response")]
    private static partial void LogUpstreamDropped(ILogger logger, string provider, Exception? exception);

    [LoggerMessage(4006, LogLevel.Warning, "Upstream {Provider} sent nothing for {IdleTimeout}; the response was cut")]
    private static partial void LogIdleTimeout(ILogger logger, string provider, TimeSpan idleTimeout);
}
