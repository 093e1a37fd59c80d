using System.Net;
using System.Text.Json;
using Gateway.Admin.Functions.Http;
using Gateway.Domain.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Admin.Functions.Dashboard;

/// <summary>
/// The browser dashboard: a static page at <c>/api/dashboard</c> that calls the admin API itself
/// (no second API), and its session endpoint. Sign-in with the admin secret sets an HttpOnly,
/// SameSite=Strict cookie (Secure over HTTPS and under the Functions host) and returns the CSRF
/// token; see <see cref="DashboardSessions"/> and <see cref="DashboardAuth"/>.
/// </summary>
internal static partial class DashboardEndpoints
{
    public const string BasePath = "/api/dashboard";
    public const string SessionPath = "/api/dashboard/session";
    private const int MaxSignInBytes = 4096;

    // The page loads only its own scripts and styles and talks only to its own origin.
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    public static IHostApplicationBuilder AddDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<DashboardOptions>().Bind(builder.Configuration.GetSection(DashboardOptions.Section))
            .Validate(o => o.SessionLifetime > TimeSpan.Zero, "Dashboard__SessionLifetime must be greater than 0")
            .ValidateOnStart();
        builder.Services.AddSingleton<DashboardSessions>();
        return builder;
    }

    public static IEndpointRouteBuilder MapDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var group = endpoints.MapGroup(BasePath).ExcludeFromDescription();
        group.MapGet("/session", ReadSession);
        group.MapPost("/session", SignInAsync);
        group.MapDelete("/session", SignOut);
        group.MapGet("/{*path}", ServeAsset);
        return endpoints;
    }

    /// <summary>The dashboard's own paths, which do their own checks (static files hold no data).</summary>
    public static bool IsDashboardPath(PathString path)
        => path.StartsWithSegments(BasePath, StringComparison.OrdinalIgnoreCase);

    internal static IResult ServeAsset(HttpContext context, string? path)
    {
        var file = string.IsNullOrEmpty(path) ? "index.html" : path;
        if (DashboardAssets.Find(file) is not { } asset)
        {
            return AdminProblem.NotFoundResult(context, $"no dashboard file {file}");
        }

        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.CacheControl = "no-cache";
        return TypedResults.Bytes(asset.Content, asset.ContentType);
    }

    /// <summary>200 either way, so that the page's start-up check is not an error: <c>signedIn</c> says which.</summary>
    internal static JsonHttpResult<SessionResponse> ReadSession(HttpContext context, DashboardSessions sessions)
    {
        NoStore(context);
        var response = !sessions.Enabled
            ? IsLoopback(context) ? new SessionResponse(true, string.Empty, null, LoopbackOnly: true) : SessionResponse.SignedOut
            : sessions.Read(context.Request) is { } session
                ? new SessionResponse(true, sessions.CsrfToken(session), session.ExpiresAt.ToUnixTimeSeconds(), LoopbackOnly: false)
                : SessionResponse.SignedOut;
        return TypedResults.Json(response, DashboardJsonContext.Default.SessionResponse);
    }

    internal static async Task<Results<JsonHttpResult<SessionResponse>, ProblemHttpResult>> SignInAsync(
        HttpContext context, DashboardSessions sessions, GatewayAppInfo app, ILoggerFactory loggers)
    {
        NoStore(context);
        if (!sessions.Enabled)
        {
            return AdminProblem.BadRequest(context, "secret: no admin secret is configured (Admin__Secret); the dashboard needs no sign-in from loopback");
        }

        var body = await ReadSignInAsync(context);
        if (body is null)
        {
            return AdminProblem.BadRequest(context, "secret is required: send {\"secret\":\"...\"}", AdminProblem.JsonUnmarshal);
        }

        var logger = loggers.CreateLogger(typeof(DashboardEndpoints));
        if (!sessions.SecretMatches(body.Secret))
        {
            LogSignInRefused(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
            return Unauthorized(context, "secret: the admin secret is not correct");
        }

        var (session, cookie) = sessions.Issue();
        context.Response.Cookies.Append(DashboardSessions.CookieName, cookie, DashboardSessions.CookieOptions(context, session.ExpiresAt, secure: app.UnderFunctionsHost));
        LogSignedIn(logger, context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return TypedResults.Json(new SessionResponse(true, sessions.CsrfToken(session), session.ExpiresAt.ToUnixTimeSeconds(), LoopbackOnly: false), DashboardJsonContext.Default.SessionResponse);
    }

    /// <summary>Ends the browser's session: the cookie is removed. Needs the CSRF token, so no other site can sign the admin out.</summary>
    internal static Results<NoContent, ProblemHttpResult> SignOut(HttpContext context, DashboardSessions sessions, GatewayAppInfo app)
    {
        NoStore(context);
        if (sessions.Read(context.Request) is { } session && !sessions.CsrfMatches(session, context.Request))
        {
            return AdminProblem.Create(context, StatusCodes.Status403Forbidden, AdminProblem.Unauthorized, "forbidden", $"the {DashboardSessions.CsrfHeader} header is required");
        }

        context.Response.Cookies.Delete(DashboardSessions.CookieName, DashboardSessions.CookieOptions(context, DateTimeOffset.UnixEpoch, secure: app.UnderFunctionsHost));
        return TypedResults.NoContent();
    }

    private static async Task<SignInRequest?> ReadSignInAsync(HttpContext context)
    {
        // Read at most one byte past the limit: a larger body is refused without being buffered.
        var buffer = new byte[MaxSignInBytes + 1];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await context.Request.Body.ReadAsync(buffer.AsMemory(length), context.RequestAborted)) > 0)
        {
            length += read;
        }

        if (length > MaxSignInBytes)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(buffer.AsSpan(0, length), DashboardJsonContext.Default.SignInRequest);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static ProblemHttpResult Unauthorized(HttpContext context, string detail)
        => AdminProblem.Create(context, StatusCodes.Status401Unauthorized, AdminProblem.Unauthorized, "unauthorized", detail);

    private static void NoStore(HttpContext context) => context.Response.Headers.CacheControl = "no-store";

    private static bool IsLoopback(HttpContext context) => context.Connection.RemoteIpAddress is not { } remote || IPAddress.IsLoopback(remote);

    [LoggerMessage(2800, LogLevel.Warning, "Dashboard sign-in refused from {Remote}: wrong admin secret")]
    private static partial void LogSignInRefused(ILogger logger, string remote);

    [LoggerMessage(2801, LogLevel.Information, "Dashboard sign-in from {Remote}")]
    private static partial void LogSignedIn(ILogger logger, string remote);
}
