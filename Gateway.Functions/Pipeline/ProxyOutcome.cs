namespace Gateway.Functions.Pipeline;

/// <summary>What kind of answer the gateway itself gives; the error writer maps it to the provider's error type.</summary>
internal enum ProxyErrorKind
{
    Authentication,
    Permission,
    NotFound,
    InvalidRequest,
    TooLarge,
    RateLimited,
    Unavailable,
    UpstreamUnreachable,
    UpstreamTimeout,
    Internal,

    /// <summary>The client went away: nothing is written.</summary>
    ClientGone,

    /// <summary>A step answered the request itself (a response cache hit): nothing more is written.</summary>
    Answered,
}

/// <summary>How a step ended the request: the status, the kind of error and a message for the caller.</summary>
internal sealed record ProxyOutcome(int Status, ProxyErrorKind Kind, string Message, TimeSpan? RetryAfter = null)
{
    /// <summary>BricksLLM's status for a client that disconnected (nginx's 499); never sent.</summary>
    public static ProxyOutcome ClientGone { get; } = new(499, ProxyErrorKind.ClientGone, "client disconnected");

    /// <summary>A step wrote the whole answer itself (response cache hit); later steps are skipped.</summary>
    public static ProxyOutcome Answered { get; } = new(200, ProxyErrorKind.Answered, "answered by the gateway");

    public static ProxyOutcome Unauthorized(string message) => new(401, ProxyErrorKind.Authentication, message);

    public static ProxyOutcome Forbidden(string message) => new(403, ProxyErrorKind.Permission, message);

    public static ProxyOutcome NotFound(string message) => new(404, ProxyErrorKind.NotFound, message);

    public static ProxyOutcome BadRequest(string message) => new(400, ProxyErrorKind.InvalidRequest, message);

    public static ProxyOutcome TooLarge(long limit) => new(413, ProxyErrorKind.TooLarge, $"request body exceeds {limit} bytes");
}
