namespace Gateway.Functions.Forwarding;

/// <summary>How an exchange with the upstream ended (YARP's <c>ForwarderError</c>, smaller).</summary>
internal enum ForwardError
{
    None,

    /// <summary>No connection, or the connection failed before response headers.</summary>
    Unreachable,

    /// <summary>No response headers within the time-to-headers timeout.</summary>
    HeadersTimeout,

    /// <summary>The response body stopped arriving for longer than the idle timeout.</summary>
    IdleTimeout,

    /// <summary>The upstream cut the response body.</summary>
    UpstreamDropped,

    /// <summary>Kestrel refused the client's request body while it streamed (too large, malformed chunking).</summary>
    RequestBodyRefused,

    ClientGone,

    /// <summary>A non-streamed answer was larger than response transforms may buffer.</summary>
    ResponseTooLarge,
}

/// <summary>A non-streamed body outgrew <see cref="RelayOptions.MaxTransformedBodyBytes"/> before anything was delivered.</summary>
internal sealed class ResponseTooLargeException(int limit) : Exception($"the upstream answer is larger than {limit} bytes")
{
    public int Limit { get; } = limit;
}

/// <summary>The outcome of a send or a relay; <see cref="RequestBodyStatus"/> is Kestrel's status when it refused the body.</summary>
internal readonly record struct ForwardResult(ForwardError Error, Exception? Exception = null, int RequestBodyStatus = 0)
{
    public static ForwardResult Ok => default;
}
