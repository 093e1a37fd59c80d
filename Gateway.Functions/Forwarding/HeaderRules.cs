using System.Collections.Frozen;

namespace Gateway.Functions.Forwarding;

/// <summary>Which headers cross the proxy, in each direction.</summary>
internal static class HeaderRules
{
    /// <summary>Never forwarded upstream: hop-by-hop headers, the gateway key (all three places it can be), gateway-only headers.</summary>
    // Frozen: looked up for every header of every request and response.
    private static readonly FrozenSet<string> RequestDrop = new[]
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade", "Proxy-Authorization", "Proxy-Connection",
        "Content-Length", "Authorization", "api-key", "x-api-key", "Cookie",
        // Upstream bodies must be readable for usage: ask for identity encoding.
        "Accept-Encoding",
        GatewayHeaders.CustomEventId, GatewayHeaders.Metadata, GatewayHeaders.RequestTimeout,
        // The trace context upstream is the gateway's own (its HTTP client span's), not the caller's.
        "traceparent", "tracestate",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    private static readonly FrozenSet<string> ResponseDrop = new[]
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Trailer", "Upgrade", "Proxy-Authenticate", "Proxy-Connection", "Set-Cookie",
    }.ToFrozenSet(StringComparer.OrdinalIgnoreCase);

    public static bool ForwardRequestHeader(string name) => !RequestDrop.Contains(name);

    public static bool ForwardResponseHeader(string name) => !ResponseDrop.Contains(name);
}

/// <summary>Request headers the gateway reads itself (BricksLLM's names).</summary>
internal static class GatewayHeaders
{
    public const string CustomEventId = "X-CUSTOM-EVENT-ID";
    public const string Metadata = "X-METADATA";
    public const string RequestTimeout = "x-request-timeout";
}
