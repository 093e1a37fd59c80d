using Gateway.Domain.Limits;
using Gateway.Functions.Forwarding;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// Reads the gateway's own headers (<c>x-request-timeout</c>, <c>X-METADATA</c>) and the body: a
/// JSON body whole and bounded (the model, stream flag and end user are in it), anything else
/// left to stream through. Kestrel's own per-request limit is lifted to the configured one.
/// </summary>
internal sealed class ReadBodyStep(IOptions<ProxyOptions> options) : IProxyStep
{
    // The longest x-request-timeout honoured; also keeps the timer's range (CancelAfter takes at most ~49 days).
    private static readonly TimeSpan MaxRequestTimeout = TimeSpan.FromDays(1);

    private const long OversizeDrainBytes = 64L << 20;

    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        var request = context.Http.Request;
        var settings = options.Value;
        if (ReadGatewayHeaders(context, settings.Timeout) is { } headerError)
        {
            return StepResult.EndTask(headerError);
        }

        var json = IsJson(request) && HasBody(request);
        var limit = json ? settings.MaxJsonBodyBytes : settings.MaxUploadBytes;
        var bodySize = context.Http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature ? feature : null;
        if (request.ContentLength is { } length && length > limit)
        {
            // Answered before the body is read: let Kestrel drain a body modestly over the limit so
            // that a client still sending sees the 413 rather than a reset connection.
            if (bodySize is not null && length <= limit + OversizeDrainBytes)
            {
                bodySize.MaxRequestBodySize = length;
            }

            return StepResult.EndTask(ProxyOutcome.TooLarge(limit));
        }

        // Kestrel's default (30,000,000 bytes) would cut bodies the proxy accepts; above this one it answers 413 itself.
        bodySize?.MaxRequestBodySize = limit;

        return json ? ReadJsonAsync(context, limit) : StepResult.ContinueTask;
    }

    private static async ValueTask<StepResult> ReadJsonAsync(ProxyContext context, long limit)
    {
        var (body, error) = await JsonRequestBody.ReadAsync(context.Http.Request, limit, context.Adapter.RequestFieldsFor(context.Path), context.Aborted);
        if (error is not null)
        {
            return StepResult.End(error);
        }

        context.Body = body;
        return StepResult.Continue;
    }

    private static ProxyOutcome? ReadGatewayHeaders(ProxyContext context, TimeSpan defaultTimeout)
    {
        var headers = context.Http.Request.Headers;
        context.HeadersTimeout = defaultTimeout;
        var requested = headers[GatewayHeaders.RequestTimeout];
        if (requested.Count > 0)
        {
            var text = requested.ToString();
            if (!GoDuration.TryParse(text, out var timeout) || timeout <= TimeSpan.Zero || timeout > MaxRequestTimeout)
            {
                return ProxyOutcome.BadRequest($"{GatewayHeaders.RequestTimeout} must be a duration between 1ns and 24h such as 30s or 2m; got '{text}'");
            }

            context.HeadersTimeout = timeout;
        }

        var metadata = headers[GatewayHeaders.Metadata];
        if (metadata.Count > 0 && StorableMetadata.Check(metadata.ToString()) is { } problem)
        {
            return ProxyOutcome.BadRequest($"{GatewayHeaders.Metadata} {problem}");
        }

        return null;
    }

    private static bool IsJson(HttpRequest request)
        => request.ContentType is { } type && type.Contains("json", StringComparison.OrdinalIgnoreCase);

    internal static bool HasBody(HttpRequest request)
        => request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);
}
