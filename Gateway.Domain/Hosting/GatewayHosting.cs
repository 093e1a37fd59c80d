using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Hosting;

/// <summary>
/// What the three apps share to run both under the Azure Functions host (as custom handlers)
/// and standalone: where they listen, where settings come from, health and non-HTTP invocations.
/// </summary>
public static class GatewayHosting
{
    /// <summary>Set by the Functions host: the port the custom handler must listen on.</summary>
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";

    public const string HealthPath = "/api/health";

    /// <summary>Settings read directly rather than through an options class.</summary>
    public static IReadOnlyList<string> DirectSettings { get; } = ["Ports__Proxy", "Ports__Admin", "Ports__Ingest", "Hosting__ListenAddress"];

    /// <summary>
    /// Listens on <c>FUNCTIONS_CUSTOMHANDLER_PORT</c> under the Functions host, otherwise on the
    /// setting <c>Ports__{app}</c> (default <paramref name="defaultPort"/>), on 127.0.0.1 unless
    /// <c>Hosting__ListenAddress</c> says otherwise. Reads <c>local.settings.json</c> when present,
    /// below environment variables.
    /// </summary>
    public static WebApplicationBuilder ConfigureGatewayHost(this WebApplicationBuilder builder, string app, int defaultPort)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var localSettings = FindLocalSettings(builder.Environment.ContentRootPath);
        if (localSettings is not null)
        {
            // Lowest priority: appsettings, environment variables and the command line all win.
            builder.Configuration.Sources.Insert(0, new LocalSettingsConfigurationSource(localSettings));
        }

        var hostPort = Environment.GetEnvironmentVariable(CustomHandlerPortVariable);
        var underFunctionsHost = int.TryParse(hostPort, out var port);
        if (!underFunctionsHost)
        {
            port = builder.Configuration.GetValue($"Ports:{app}", defaultPort);
        }

        var address = underFunctionsHost ? "127.0.0.1" : builder.Configuration.GetValue("Hosting:ListenAddress", "127.0.0.1");
        builder.WebHost.UseUrls($"http://{address}:{port}");
        builder.Services.AddSingleton(new GatewayAppInfo(app, underFunctionsHost));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddHealthChecks();
        return builder;
    }

    /// <summary><c>GET|POST /api/health</c>: 200 with each dependency's state (BricksLLM's health check).</summary>
    public static IEndpointRouteBuilder MapGatewayHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods(HealthPath, [HttpMethods.Get, HttpMethods.Post], static async (HealthCheckService health, GatewayAppInfo app, HttpContext context) =>
        {
            var report = await health.CheckHealthAsync(context.RequestAborted);
            var body = new HealthReportBody(
                report.Status.ToString(),
                app.Name,
                report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()));
            context.Response.Headers.CacheControl = "no-store";
            await context.Response.WriteAsJsonAsync(body, HostingJsonContext.Default.HealthReportBody, cancellationToken: context.RequestAborted);
        }).ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// Maps <c>POST /{functionName}</c>, the route the Functions host calls for a non-HTTP
    /// trigger. The handler's return value becomes <c>ReturnValue</c>; an exception answers 500,
    /// which makes the host retry (and, for queues, eventually dead-letter or poison the message).
    /// </summary>
    public static IEndpointRouteBuilder MapFunctionInvocation(
        this IEndpointRouteBuilder endpoints,
        string functionName,
        Func<FunctionInvocationRequest, IServiceProvider, CancellationToken, Task<JsonElement?>> handler)
    {
        endpoints.MapPost("/" + functionName, async (HttpContext context, ILoggerFactory loggers) =>
        {
            var logger = loggers.CreateLogger("Gateway.Functions." + functionName);
            FunctionInvocationRequest? request;
            try
            {
                request = await context.Request.ReadFromJsonAsync(HostingJsonContext.Default.FunctionInvocationRequest, context.RequestAborted);
            }
            catch (JsonException ex)
            {
                HostingLog.InvocationRejected(logger, functionName, ex.Message);
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Invalid invocation payload", detail: ex.Message);
            }

            var response = new FunctionInvocationResponse();
            try
            {
                response.ReturnValue = await handler(request ?? new FunctionInvocationRequest(), context.RequestServices, context.RequestAborted);
                response.Logs.Add($"{functionName} completed");
                return Results.Json(response, HostingJsonContext.Default.FunctionInvocationResponse);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                HostingLog.InvocationFailed(logger, functionName, ex);
                response.Logs.Add($"{functionName} failed: {ex.GetType().Name}");
                return Results.Json(response, HostingJsonContext.Default.FunctionInvocationResponse, statusCode: StatusCodes.Status500InternalServerError);
            }
        }).ExcludeFromDescription();
        return endpoints;
    }

    private static string? FindLocalSettings(string contentRoot)
    {
        // The file sits in the function app folder under func, or at the repository root in a dev checkout.
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "local.settings.json");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (File.Exists(Path.Combine(dir.FullName, "Gateway.sln")))
            {
                return null;
            }
        }

        return null;
    }
}

/// <summary>Which app this process is and how it is hosted.</summary>
public sealed record GatewayAppInfo(string Name, bool UnderFunctionsHost);
