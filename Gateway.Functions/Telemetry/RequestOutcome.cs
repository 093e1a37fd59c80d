using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Telemetry;

/// <summary>
/// How the gateway answered a request, beyond its status: the <c>gateway.outcome</c> attribute of
/// <c>gateway.proxy.requests</c>. Values are fixed strings, so the attribute's cardinality is too.
/// </summary>
internal static class RequestOutcome
{
    public const string Ok = "ok";
    public const string UpstreamError = "upstream_error";
    public const string RefusedAuth = "refused_auth";
    public const string RefusedLimit = "refused_limit";
    public const string RefusedPolicy = "refused_policy";
    public const string Cached = "cached";
    public const string FailedOver = "failed_over";
    public const string InvalidRequest = "invalid_request";
    public const string Unavailable = "unavailable";
    public const string ClientGone = "client_gone";
    public const string Error = "error";

    /// <summary>
    /// The outcome of a finished request. A cache hit (<see cref="ProxyContext.Cached"/>, set by the
    /// cache step) and a policy refusal (<see cref="ProxyContext.RefusedByPolicy"/>, the privacy step's block);
    /// an answer from any attempt but the first is a failover.
    /// </summary>
    public static string Of(ProxyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Cached)
        {
            return Cached;
        }

        if (context.RefusedByPolicy)
        {
            return RefusedPolicy;
        }

        if (context.Outcome is { } outcome)
        {
            return outcome.Kind switch
            {
                ProxyErrorKind.Authentication or ProxyErrorKind.Permission => RefusedAuth,
                ProxyErrorKind.RateLimited => RefusedLimit,
                ProxyErrorKind.NotFound or ProxyErrorKind.InvalidRequest or ProxyErrorKind.TooLarge => InvalidRequest,
                ProxyErrorKind.Unavailable => Unavailable,
                ProxyErrorKind.UpstreamUnreachable or ProxyErrorKind.UpstreamTimeout => UpstreamError,
                ProxyErrorKind.ClientGone => ClientGone,
                _ => Error,
            };
        }

        if (context.FailedOver)
        {
            return FailedOver;
        }

        return context.Status is >= 200 and < 400 ? Ok : UpstreamError;
    }
}
