using System.Net;
using System.Security.Cryptography;
using System.Text;
using Gateway.Admin.Functions.ApiDocs;
using Gateway.Admin.Functions.Dashboard;
using Gateway.Domain.Hosting;
using Gateway.Domain.Telemetry;
using Microsoft.Extensions.Options;

namespace Gateway.Admin.Functions.Http;

/// <summary>
/// Admin authentication. BricksLLM answers a wrong <c>X-API-KEY</c> with 200 and an empty body;
/// we answer 401 problem+json. The secret is compared in constant time. Without a configured
/// secret, only loopback callers are served. Health, the metrics scrape (its own bearer token, <c>Telemetry__Prometheus__Token</c>) and the API docs are always open (the docs
/// hold no data: see <c>ApiDocs/README.md</c>). A signed-in dashboard browser is let through by
/// <see cref="DashboardAuth"/> (session cookie, plus the CSRF token on state-changing calls).
/// </summary>
internal sealed partial class AdminAuthMiddleware(RequestDelegate next, IOptions<AdminAuthOptions> options, ILogger<AdminAuthMiddleware> logger)
{
    public const string HeaderName = "X-API-KEY";
    private readonly byte[]? _secretHash = string.IsNullOrEmpty(options.Value.Secret) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(options.Value.Secret));

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments(GatewayHosting.HealthPath) || context.Request.Path.StartsWithSegments(GatewayTelemetry.MetricsPath) || ApiDocsEndpoints.IsPublic(context.Request) || DashboardAuth.Allows(context) || IsAuthorized(context))
        {
            await next(context);
            return;
        }

        LogRejected(logger, context.Request.Method, context.Request.Path);
        var detail = _secretHash is null
            ? "the admin API accepts only loopback callers when no admin secret (Admin__Secret) is configured"
            : $"a valid {HeaderName} header is required";
        await AdminProblem.Create(context, StatusCodes.Status401Unauthorized, AdminProblem.Unauthorized, "unauthorized", detail).ExecuteAsync(context);
    }

    private bool IsAuthorized(HttpContext context)
    {
        if (_secretHash is null)
        {
            var remote = context.Connection.RemoteIpAddress;
            return remote is null || IPAddress.IsLoopback(remote);
        }

        var presented = context.Request.Headers[HeaderName].ToString();
        if (presented.Length == 0)
        {
            return false;
        }

        // Hash both sides so the comparison is constant-time regardless of the presented length.
        return CryptographicOperations.FixedTimeEquals(_secretHash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));
    }

    [LoggerMessage(2000, LogLevel.Warning, "Rejected unauthenticated admin request {Method} {Path}")]
    private static partial void LogRejected(ILogger logger, string method, string path);
}
