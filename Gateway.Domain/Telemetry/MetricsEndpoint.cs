using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Telemetry;

/// <summary>
/// <c>GET /api/metrics</c>: this process's metrics in the Prometheus text format (the OpenTelemetry
/// Prometheus exporter's own serializer), only with <c>Telemetry__Prometheus__Enabled=true</c>
/// (404 otherwise) and, when <c>Telemetry__Prometheus__Token</c> is set, only for its bearer token
/// (401 otherwise). One handler for the local route and the HTTP function.
/// </summary>
public sealed class MetricsEndpoint
{
    private readonly PrometheusTelemetryOptions _options;
    private readonly byte[]? _token;
    private readonly RequestDelegate? _scrape;

    public MetricsEndpoint(IOptions<TelemetryOptions> options, IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(options);
        var telemetry = options.Value;
        _options = telemetry.Prometheus;
        _token = _options.Token is { Length: > 0 } token ? SHA256.HashData(Encoding.UTF8.GetBytes("Bearer " + token)) : null;
        if (telemetry.Enabled && _options.Enabled)
        {
            // The exporter's middleware on a branch of its own: every request given to it is a scrape.
            var branch = new ApplicationBuilder(services);
            branch.UseOpenTelemetryPrometheusScrapingEndpoint(meterProvider: null, predicate: static _ => true, path: null, configureBranchedPipeline: null, optionsName: null);
            _scrape = branch.Build();
        }
    }

    public Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.Headers.CacheControl = "no-store";
        if (_scrape is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        }

        if (_token is not null && !Authorized(context.Request.Headers.Authorization.ToString()))
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            context.Response.Headers.WWWAuthenticate = "Bearer";
            return Task.CompletedTask;
        }

        return _scrape(context);
    }

    // Hashes of both sides: constant time whatever the presented length.
    private bool Authorized(string header)
        => CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header)), _token);
}

public static class MetricsEndpointExtensions
{
    /// <summary>Maps <c>GET /api/metrics</c> (see <see cref="MetricsEndpoint"/>); its function folder is <c>metrics</c>.</summary>
    public static IEndpointRouteBuilder MapGatewayMetrics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var endpoint = ActivatorUtilities.CreateInstance<MetricsEndpoint>(endpoints.ServiceProvider);
        endpoints.MapGet(GatewayTelemetry.MetricsPath, endpoint.HandleAsync).ExcludeFromDescription();
        return endpoints;
    }
}
