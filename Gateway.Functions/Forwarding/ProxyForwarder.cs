using System.Net;
using Gateway.Functions.Providers;
using Microsoft.AspNetCore.Http.Features;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// Sends one upstream request and relays its response: headers both ways (hop-by-hop and
/// gateway headers dropped), the body streamed (or the JSON body as read and possibly rewritten),
/// server-sent events one by one with a flush each, a usage reader tapping the bytes, the client's
/// cancellation passed on. Our own rather than YARP's <c>IHttpForwarder</c>: see the README.
/// </summary>
/// <remarks>
/// <code>
///  1 request    method, URL from the adapter, headers copied, body (JSON bytes | client stream)
///  2 send       until response headers, bounded by the time-to-headers timeout
///  3 headers    status and headers copied back; buffering off for event streams
///  4 body       chunk by chunk or SSE event by event, re-arming the idle timeout before each read
/// </code>
/// </remarks>
internal sealed class ProxyForwarder(UpstreamClient upstream)
{
    private const int MaxLoggedBodyBytes = 1 << 20;

    private static readonly HttpRequestOptionsKey<ClientBodyStream> ClientBodyKey = new("gateway.client-body");

    /// <summary>1 request: the upstream request for <paramref name="uri"/>; the caller adds the credential.</summary>
    public static HttpRequestMessage CreateRequest(HttpContext context, Uri uri, ReadOnlyMemory<byte>? jsonBody)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var message = new HttpRequestMessage(HttpMethod.Parse(request.Method), uri) { Version = HttpVersion.Version11 };
        if (jsonBody is { } json)
        {
            message.Content = new ReadOnlyMemoryContent(json);
        }
        else if (Pipeline.Steps.ReadBodyStep.HasBody(request))
        {
            var clientBody = new ClientBodyStream(request.Body);
            message.Options.Set(ClientBodyKey, clientBody);
            message.Content = new StreamContent(clientBody);
            if (request.ContentLength is { } length)
            {
                message.Content.Headers.ContentLength = length;
            }
        }

        foreach (var header in request.Headers)
        {
            if (!HeaderRules.ForwardRequestHeader(header.Key))
            {
                continue;
            }

            var values = (IEnumerable<string?>)header.Value;
            if (!message.Headers.TryAddWithoutValidation(header.Key, values))
            {
                message.Content?.Headers.TryAddWithoutValidation(header.Key, values);
            }
        }

        return message;
    }

    /// <summary>2 send: the response once its headers arrived, or why there is none.</summary>
    public async Task<(HttpResponseMessage? Response, ForwardResult Result)> SendAsync(HttpRequestMessage message, ForwardTimeouts timeouts, TimeSpan headersTimeout, CancellationToken clientAborted)
    {
        ArgumentNullException.ThrowIfNull(timeouts);
        timeouts.Arm(headersTimeout);
        try
        {
            var response = await upstream.Invoker.SendAsync(message, timeouts.Token);
            return (response, ForwardResult.Ok);
        }
        catch (OperationCanceledException ex) when (clientAborted.IsCancellationRequested)
        {
            return (null, new ForwardResult(ForwardError.ClientGone, ex));
        }
        catch (OperationCanceledException ex) when (timeouts.TimedOut)
        {
            return (null, new ForwardResult(ForwardError.HeadersTimeout, ex));
        }
        catch (Exception) when (message.Content is StreamContent && ReadFailure(message) is { } failure)
        {
            return (null, new ForwardResult(ForwardError.RequestBodyRefused, failure, ClientBodyStream.StatusOf(failure)));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return (null, new ForwardResult(ForwardError.Unreachable, ex));
        }
    }

    private static Exception? ReadFailure(HttpRequestMessage message)
        => message.Options.TryGetValue(ClientBodyKey, out var body) ? body.ReadFailure : null;

    /// <summary>3 headers and 4 body. Once this starts, the response has started: errors cut or end the stream, never a status.</summary>
    public static async Task<ForwardResult> RelayAsync(HttpContext context, HttpResponseMessage response, RelayOptions relay, ForwardTimeouts timeouts, CancellationToken clientAborted)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(relay);
        ArgumentNullException.ThrowIfNull(timeouts);
        var client = context.Response;
        client.StatusCode = (int)response.StatusCode;
        relay.Status = client.StatusCode;
        CopyHeaders(response.Headers, client.Headers);
        CopyHeaders(response.Content.Headers, client.Headers);
        if (relay.KeepCopy)
        {
            relay.Copy = new MemoryStream();
        }

        if (relay.Transforms.Count > 0)
        {
            // The body changes: its length is no longer the upstream's, and its type may not be either.
            relay.Chain = new ResponseTransformChain(relay.Transforms);
            client.Headers.ContentLength = null;
            client.ContentType = relay.Chain.ContentType(response.Content.Headers.ContentType?.ToString());
        }

        foreach (var tap in relay.Taps)
        {
            tap.Start(client.StatusCode, client.ContentType);
        }

        var complete = false;
        try
        {
            timeouts.Arm(relay.IdleTimeout);
            await using var body = await response.Content.ReadAsStreamAsync(timeouts.Token);
            if (relay.IsEventStream)
            {
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                if (relay.HideUsageChunk)
                {
                    // The body changes length: the hidden usage chunk is not delivered.
                    client.Headers.ContentLength = null;
                }

                await client.StartAsync(timeouts.Token);
                await ResponseRelay.CopyEventsAsync(body, client, relay, timeouts, MaxLoggedBodyBytes);
            }
            else
            {
                await ResponseRelay.CopyAsync(body, client.Body, relay, timeouts, MaxLoggedBodyBytes);
            }

            complete = true;
            return ForwardResult.Ok;
        }
        catch (ResponseTooLargeException ex)
        {
            // Nothing was delivered yet: drop the upstream's headers so the error is written cleanly.
            client.Headers.Clear();
            return new ForwardResult(ForwardError.ResponseTooLarge, ex);
        }
        catch (OperationCanceledException ex) when (clientAborted.IsCancellationRequested)
        {
            return new ForwardResult(ForwardError.ClientGone, ex);
        }
        catch (OperationCanceledException ex) when (timeouts.TimedOut)
        {
            return new ForwardResult(ForwardError.IdleTimeout, ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            return clientAborted.IsCancellationRequested ? new ForwardResult(ForwardError.ClientGone, ex) : new ForwardResult(ForwardError.UpstreamDropped, ex);
        }
        finally
        {
            relay.EndTaps(complete);
        }
    }

    private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders from, IHeaderDictionary to)
    {
        foreach (var header in from)
        {
            if (HeaderRules.ForwardResponseHeader(header.Key))
            {
                to[header.Key] = header.Value is string[] array ? array : [.. header.Value];
            }
        }
    }
}

/// <summary>What a relay does with the body, and what it saw.</summary>
internal sealed class RelayOptions
{
    public required ApiStyle Style { get; init; }

    public bool IsEventStream { get; init; }

    /// <summary>Hide the usage-only chunk the gateway asked for on the client's behalf.</summary>
    public bool HideUsageChunk { get; init; }

    public IUsageReader? Usage { get; init; }

    public TimeSpan IdleTimeout { get; init; }

    public bool KeepCopy { get; init; }

    /// <summary>A bounded copy of the delivered body, when <see cref="KeepCopy"/>.</summary>
    public MemoryStream? Copy { get; set; }

    public long BytesDelivered { get; set; }

    /// <summary>Rewrites of the answer (translation, PII), in order; usage is read before them.</summary>
    public IReadOnlyList<Pipeline.IResponseTransform> Transforms { get; init; } = [];

    /// <summary>Observers of the delivered bytes (after every transform).</summary>
    public IReadOnlyList<Pipeline.IResponseTap> Taps { get; init; } = [];

    /// <summary>Bound on a non-streamed body that transforms must see whole.</summary>
    public int MaxTransformedBodyBytes { get; init; } = 64 << 20;

    /// <summary>The upstream's status, for transforms of a whole body.</summary>
    public int Status { get; set; }

    internal ResponseTransformChain Chain { get; set; } = ResponseTransformChain.Empty;

    internal void Tap(ReadOnlySpan<byte> delivered)
    {
        foreach (var tap in Taps)
        {
            tap.Delivered(delivered);
        }
    }

    internal void EndTaps(bool complete)
    {
        foreach (var tap in Taps)
        {
            tap.End(complete);
        }
    }
}
