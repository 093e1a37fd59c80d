using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace Gateway.Domain.Hosting;

/// <summary>
/// What the three apps share in both entry modes (<see cref="GatewayApp"/>): where settings come
/// from, where local mode listens, health.
/// </summary>
public static class GatewayHosting
{
    public const string HealthPath = "/api/health";

    private const string UnderFunctionsHostKey = "Gateway.UnderFunctionsHost";

    /// <summary>
    /// Whether the app runs under the Functions host: then triggers invoke the functions; in local
    /// mode hosted services stand in for the non-HTTP ones.
    /// </summary>
    public static bool IsUnderFunctionsHost(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Properties.TryGetValue(UnderFunctionsHostKey, out var value) && value is true;
    }

    /// <summary>Settings read directly rather than through an options class.</summary>
    public static IReadOnlyList<string> DirectSettings { get; } = ["Ports__Proxy", "Ports__Admin", "Ports__Ingest", "Hosting__ListenAddress"];

    /// <summary>
    /// Reads <c>local.settings.json</c> when present, below environment variables. Local mode listens
    /// on the setting <c>Ports__{app}</c> (default <paramref name="defaultPort"/>), on 127.0.0.1 unless
    /// <c>Hosting__ListenAddress</c> says otherwise; under the host the worker's port is the host's choice.
    /// </summary>
    internal static TBuilder ConfigureGatewayHost<TBuilder>(this TBuilder builder, string app, int defaultPort, bool underFunctionsHost)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var localSettings = FindLocalSettings(builder.Environment.ContentRootPath);
        if (localSettings is not null)
        {
            // Lowest priority: appsettings, environment variables and the command line all win.
            builder.Configuration.Sources.Insert(0, new LocalSettingsConfigurationSource(localSettings));
        }

        if (builder is WebApplicationBuilder web)
        {
            var port = builder.Configuration.GetValue($"Ports:{app}", defaultPort);
            var address = builder.Configuration.GetValue("Hosting:ListenAddress", "127.0.0.1");
            web.WebHost.UseUrls($"http://{address}:{port}");
        }

        builder.Properties[UnderFunctionsHostKey] = underFunctionsHost;
        builder.Services.AddSingleton(new GatewayAppInfo(app, underFunctionsHost));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddRouting();
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
