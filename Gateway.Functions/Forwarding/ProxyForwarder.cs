using System.Net;
using Gateway.Functions.Providers;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;

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

            // One value (the usual case) as a string: no boxed enumerator.
            if (header.Value.Count == 1)
            {
                var value = header.Value.ToString();
                if (!message.Headers.TryAddWithoutValidation(header.Key, value))
                {
                    message.Content?.Headers.TryAddWithoutValidation(header.Key, value);
                }
            }
            else
            {
                var values = (IEnumerable<string?>)header.Value;
                if (!message.Headers.TryAddWithoutValidation(header.Key, values))
                {
                    message.Content?.Headers.TryAddWithoutValidation(header.Key, values);
                }
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

    /// <summary>
    /// 3 headers and 4 body: <paramref name="body"/> when the caller has already opened it (a peeked
    /// answer), else the response's content. Once this starts, the response has started: errors cut
    /// or end the stream, never a status.
    /// </summary>
    public static async Task<ForwardResult> RelayAsync(HttpContext context, HttpResponseMessage response, Stream? body, RelayOptions relay, ForwardTimeouts timeouts, CancellationToken clientAborted)
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

        for (var i = 0; i < relay.Taps.Count; i++)
        {
            relay.Taps[i].Start(client.StatusCode, client.ContentType);
            if (relay.Taps[i].HoldsEnd)
            {
                client.Headers.ContentLength = null;
            }
        }

        var complete = false;
        try
        {
            timeouts.Arm(relay.IdleTimeout);
            await using var upstreamBody = body ?? await response.Content.ReadAsStreamAsync(timeouts.Token);
            if (relay.IsEventStream)
            {
                context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
                if (relay.HideUsageChunk)
                {
                    // The body changes length: the hidden usage chunk is not delivered.
                    client.Headers.ContentLength = null;
                }

                await client.StartAsync(timeouts.Token);
                await ResponseRelay.CopyEventsAsync(upstreamBody, client, relay, timeouts, MaxLoggedBodyBytes);
            }
            else
            {
                await ResponseRelay.CopyAsync(upstreamBody, client.Body, relay, timeouts, MaxLoggedBodyBytes);
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

    // The raw values (NonValidated, as YARP copies them): enumerating HttpHeaders itself parses every
    // value into typed objects and formats it back (a Date header is parsed and re-printed per response).
    private static void CopyHeaders(System.Net.Http.Headers.HttpHeaders from, IHeaderDictionary to)
    {
        foreach (var (name, values) in from.NonValidated)
        {
            if (HeaderRules.ForwardResponseHeader(name))
            {
                to[name] = values.Count == 1 ? new StringValues(values.ToString()) : new StringValues(ToArray(values));
            }
        }
    }

    private static string[] ToArray(System.Net.Http.Headers.HeaderStringValues values)
    {
        var array = new string[values.Count];
        var i = 0;
        foreach (var value in values)
        {
            array[i++] = value;
        }

        return array;
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

    // Indexed loops: a foreach over the interface would allocate an enumerator per chunk.
    internal void Tap(ReadOnlySpan<byte> delivered)
    {
        for (var i = 0; i < Taps.Count; i++)
        {
            Taps[i].Delivered(delivered);
        }
    }

    internal void EndTaps(bool complete)
    {
        for (var i = 0; i < Taps.Count; i++)
        {
            Taps[i].End(complete);
        }
    }
}
