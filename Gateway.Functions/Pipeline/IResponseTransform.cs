using System.Buffers;

namespace Gateway.Functions.Pipeline;

/// <summary>
/// Rewrites a response on its way to the client: translation into the caller's API (an attempt's
/// <see cref="UpstreamAttempt.Translation"/>), then the request-wide ones in
/// <see cref="ProxyContext.ResponseTransforms"/> (PII redaction or de-tokenization), in order.
/// Usage is read from the upstream's bytes, before any transform.
/// </summary>
internal interface IResponseTransform
{
    /// <summary>The content type to send instead of the upstream's, or null to keep it.</summary>
    string? ContentType(string? upstreamContentType);

    /// <summary>
    /// A whole non-streamed body (bounded by <c>Proxy__MaxTransformedBodyBytes</c>), with the upstream
    /// status; writes what the client gets into <paramref name="output"/>.
    /// </summary>
    void TransformBody(ReadOnlySpan<byte> body, int status, IBufferWriter<byte> output);

    /// <summary>
    /// One server-sent event, blank line included; writes zero or more events into
    /// <paramref name="output"/> (a transform may hold text back across events, e.g. a sliding window).
    /// </summary>
    void TransformEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output);

    /// <summary>The upstream stream ended: write whatever was held back.</summary>
    void Complete(IBufferWriter<byte> output);
}

/// <summary>
/// Sees exactly the bytes delivered to the client (after every transform), e.g. to capture an
/// answer for the response cache. A tap never changes what the client gets.
/// </summary>
internal interface IResponseTap
{
    /// <summary>The response is about to start, with its status and content type.</summary>
    void Start(int status, string? contentType);

    /// <summary>Delivered bytes, in order (a whole SSE event at a time when streaming).</summary>
    void Delivered(ReadOnlySpan<byte> bytes);

    /// <summary>The body ended; <paramref name="complete"/> is false when it was cut (upstream dropped, idle timeout, client gone).</summary>
    void End(bool complete);

    /// <summary>
    /// True when a step after forwarding acts on what this tap saw, and the client must not see the
    /// body end before it has (the response cache's store, so that a request repeated at once is a
    /// hit). The upstream's Content-Length is then not passed on: the body ends when the steps do.
    /// </summary>
    bool HoldsEnd => false;
}
