using System.Net;
using Gateway.Functions.Forwarding;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// Tries the attempts in order: the adapter maps the request and injects the credential, the
/// forwarder sends it; an upstream 429 moves on to the next attempt while the body can be sent
/// again (rotation). The answer is relayed, its usage read by the adapter's reader.
/// </summary>
internal sealed partial class ForwardStep(
    ProxyForwarder forwarder,
    IProviderSecrets secrets,
    IOptions<ProxyOptions> options,
    TimeProvider time,
    ILogger<ForwardStep> logger) : IProxyStep
{
    public async ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        var http = context.Http;
        var body = context.Body;
        using var timeouts = new ForwardTimeouts(time, context.Aborted);
        var replayable = body is not null || !ReadBodyStep.HasBody(http.Request);
        HttpResponseMessage? response = null;
        try
        {
            for (var attempt = 0; attempt < context.Attempts.Count; attempt++)
            {
                var upstream = context.Attempts[attempt];
                var setting = upstream.Setting;
                var adapter = upstream.Adapter;
                context.Attempt = upstream;
                var uri = adapter.MapUri(context, upstream);
                if (uri is null)
                {
                    return StepResult.End(new ProxyOutcome(500, ProxyErrorKind.Internal, $"provider setting {setting.Id} is missing a required parameter"));
                }

                if (upstream.Body is null && body is { Stream: true } && adapter.CanForceUsageChunk(context, upstream))
                {
                    body.RequestUsageChunk();
                }

                using var message = ProxyForwarder.CreateRequest(http, uri, upstream.Body ?? body?.Bytes);
                adapter.ApplyCredential(message.Headers, secrets.Get(setting));
                response?.Dispose();
                (response, var sent) = await forwarder.SendAsync(message, timeouts, upstream.HeadersTimeout ?? context.HeadersTimeout, context.Aborted);
                if (sent.Error != ForwardError.None)
                {
                    return StepResult.End(SendFailed(context, sent));
                }

                // Rotation: an upstream 429 on one provider key is retried on the next one.
                if (response!.StatusCode != HttpStatusCode.TooManyRequests || !context.Key!.RotationEnabled || !replayable || attempt + 1 == context.Attempts.Count)
                {
                    break;
                }

                LogRotated(logger, setting.Id);
            }

            return await RelayAsync(context, response!, timeouts);
        }
        finally
        {
            response?.Dispose();
        }
    }

    private async ValueTask<StepResult> RelayAsync(ProxyContext context, HttpResponseMessage response, ForwardTimeouts timeouts)
    {
        var http = context.Http;
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
        var result = await ProxyForwarder.RelayAsync(http, response, relay, timeouts, context.Aborted);
        context.ResponseCopy = relay.Copy;
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
                LogUpstreamTimeout(logger, name, context.HeadersTimeout);
                return new ProxyOutcome(504, ProxyErrorKind.UpstreamTimeout, $"upstream did not answer within {context.HeadersTimeout.TotalSeconds:0.###} s");
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

    [LoggerMessage(4000, LogLevel.Information, "Upstream answered 429 on setting {SettingId}; rotating to the next setting")]
    private static partial void LogRotated(ILogger logger, string settingId);

    [LoggerMessage(4002, LogLevel.Warning, "Upstream {Provider} did not answer within {Timeout}")]
    private static partial void LogUpstreamTimeout(ILogger logger, string provider, TimeSpan timeout);

    [LoggerMessage(4003, LogLevel.Warning, "Upstream {Provider} is unreachable")]
    private static partial void LogUpstreamUnreachable(ILogger logger, string provider, Exception? exception);

    [LoggerMessage(4004, LogLevel.Warning, "Upstream {Provider} dropped the connection mid-response")]
    private static partial void LogUpstreamDropped(ILogger logger, string provider, Exception? exception);

    [LoggerMessage(4006, LogLevel.Warning, "Upstream {Provider} sent nothing for {IdleTimeout}; the response was cut")]
    private static partial void LogIdleTimeout(ILogger logger, string provider, TimeSpan idleTimeout);
}
