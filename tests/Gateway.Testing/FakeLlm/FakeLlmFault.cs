namespace Gateway.Testing.FakeLlm;

/// <summary>
/// A misbehaviour to inject, queued on <see cref="FakeLlmBehavior"/> with
/// <see cref="FakeLlmBehavior.FailNext"/> or <see cref="FakeLlmBehavior.FailAlways"/>.
/// </summary>
public sealed class FakeLlmFault
{
    private FakeLlmFault(FakeLlmFaultKind kind)
    {
        Kind = kind;
    }

    public FakeLlmFaultKind Kind { get; }

    /// <summary>For <see cref="FakeLlmFaultKind.Status"/>: the status code to answer with.</summary>
    public int StatusCode { get; private init; }

    /// <summary>
    /// For <see cref="FakeLlmFaultKind.Status"/>: the exact body (sent as <c>application/json</c>);
    /// null means an error in the shape of the provider whose path was called.
    /// </summary>
    public string? Body { get; private init; }

    /// <summary>
    /// For <see cref="FakeLlmFaultKind.Status"/>: sent as <c>retry-after</c> in whole seconds
    /// (rounded up); Azure paths also get <c>retry-after-ms</c>, as Azure OpenAI sends both.
    /// </summary>
    public TimeSpan? RetryAfter { get; private init; }

    /// <summary>
    /// For <see cref="FakeLlmFaultKind.DropStream"/>: how many SSE events are written and flushed
    /// before the connection is aborted.
    /// </summary>
    public int EventsBeforeDrop { get; private init; }

    public static FakeLlmFault Status(int statusCode, string? body = null, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 400);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        return new FakeLlmFault(FakeLlmFaultKind.Status) { StatusCode = statusCode, Body = body, RetryAfter = retryAfter };
    }

    /// <summary>429 with <c>retry-after</c> and the provider's rate-limit error.</summary>
    public static FakeLlmFault RateLimited(TimeSpan retryAfter) => Status(429, body: null, retryAfter);

    /// <summary>500 with the provider's server error.</summary>
    public static FakeLlmFault InternalServerError() => Status(500);

    /// <summary>503 with the provider's overloaded error.</summary>
    public static FakeLlmFault ServiceUnavailable() => Status(503);

    /// <summary>
    /// Stream the first <paramref name="events"/> SSE events, then abort the connection, so the
    /// client sees a truncated chunked response. A stream that has no more than that many events is
    /// aborted after its last one, before the response completes. A non-streamed response is
    /// aborted after half of its body.
    /// </summary>
    public static FakeLlmFault DropStreamAfter(int events)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(events);
        return new FakeLlmFault(FakeLlmFaultKind.DropStream) { EventsBeforeDrop = events };
    }

    /// <summary>Abort the connection before sending anything (the client sees a reset).</summary>
    public static FakeLlmFault ResetConnection() => new(FakeLlmFaultKind.ResetConnection);

    public override string ToString() => Kind switch
    {
        FakeLlmFaultKind.Status => $"Status {StatusCode}",
        FakeLlmFaultKind.DropStream => $"DropStream after {EventsBeforeDrop}",
        _ => Kind.ToString(),
    };
}
