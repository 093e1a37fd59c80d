using System.Diagnostics.Metrics;
using Azure.Monitor.OpenTelemetry.Exporter;
using Gateway.Domain.Hosting;
using Gateway.Domain.Redis;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Gateway.Domain.Telemetry;

/// <summary>
/// OpenTelemetry for one app: server spans (ASP.NET Core), outgoing HTTP, PostgreSQL and Redis
/// spans, the gateway's own <c>Gateway.*</c> sources and meters, logs with the trace id; exported
/// by configuration (OTLP, Prometheus text at <c>GET /api/metrics</c>, Azure Monitor).
/// </summary>
public static class GatewayTelemetry
{
    /// <summary>Every gateway <c>ActivitySource</c> and <c>Meter</c> is named <c>Gateway.*</c>.</summary>
    public const string SourcePattern = "Gateway.*";

    /// <summary>The response header that names the gateway's trace id (32 hex digits), so a user can find their request.</summary>
    public const string TraceIdHeader = "x-gateway-trace-id";

    public const string MetricsPath = "/api/metrics";

    // The GenAI conventions' recommended boundaries (gen-ai-metrics.md, ExplicitBucketBoundaries).
    private static readonly double[] DurationBuckets = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92];
    private static readonly double[] TokenBuckets = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864];

    // The gateway's own overhead is milliseconds: finer buckets than the upstream call's.
    private static readonly double[] OverheadBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1];

    /// <summary>
    /// Registers telemetry for <paramref name="app"/> (<c>Proxy</c>, <c>Admin</c>, <c>Ingest</c>): the
    /// service name is <c>gateway-{app}</c>. With <c>Telemetry__Enabled=false</c> only the options are registered.
    /// </summary>
    public static TBuilder AddGatewayTelemetry<TBuilder>(this TBuilder builder, string app)
        where TBuilder : IHostApplicationBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(app);
        var configuration = builder.Configuration;
        var services = builder.Services;
        services.AddOptions<TelemetryOptions>()
            .Bind(configuration.GetSection(TelemetryOptions.Section))
            .Configure(o => Direct(o, configuration))
            .ValidateOnStart();
        services.AddSettingsValidator(TelemetryOptions.Section, new TelemetryOptionsValidator());
        var options = new TelemetryOptions();
        configuration.GetSection(TelemetryOptions.Section).Bind(options);
        Direct(options, configuration);
        if (!options.Enabled)
        {
            return builder;
        }

        // Log scopes carry the trace and span ids (the JSON console formatter writes them with IncludeScopes).
        builder.Logging.Configure(static o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        services.AddSingleton<IStartupFilter, TraceIdHeaderStartupFilter>();

        var otel = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("gateway-" + app.ToLowerInvariant()))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SourcePattern)
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddView(static instrument => instrument switch
                    {
                        { Name: "gen_ai.client.token.usage" } => new ExplicitBucketHistogramConfiguration { Boundaries = TokenBuckets },
                        { Name: "gen_ai.client.operation.duration" or "gen_ai.client.operation.time_to_first_chunk" } => new ExplicitBucketHistogramConfiguration { Boundaries = DurationBuckets },
                        { Name: "gateway.proxy.added_latency" } => new ExplicitBucketHistogramConfiguration { Boundaries = OverheadBuckets },
                        { } dropped when IsDropped(dropped) => MetricStreamConfiguration.Drop,
                        _ => null,
                    });
                if (options.Prometheus.Enabled)
                {
                    // No response cache: a scrape sees what was recorded up to now.
                    metrics.AddPrometheusExporter(static o => o.ScrapeResponseCacheDurationMilliseconds = 0);
                }

                if (options.AzureMonitorConnectionString is { Length: > 0 } azure)
                {
                    metrics.AddAzureMonitorMetricExporter(o => o.ConnectionString = azure);
                }
            })
            .WithLogging(logging =>
            {
                if (options.AzureMonitorConnectionString is { Length: > 0 } azure)
                {
                    logging.AddAzureMonitorLogExporter(o => o.ConnectionString = azure);
                }
            }, static o => o.IncludeFormattedMessage = true);

        if (options.Traces.Enabled)
        {
            otel.WithTracing(tracing => ConfigureTracing(tracing, services, options));
        }

        if (options.OtlpEndpoint is { Length: > 0 })
        {
            // Reads OTEL_EXPORTER_OTLP_ENDPOINT, _PROTOCOL, _HEADERS from configuration itself.
            otel.UseOtlpExporter();
        }

        return builder;
    }

    private static void ConfigureTracing(TracerProviderBuilder tracing, IServiceCollection services, TelemetryOptions options)
    {
        var traces = options.Traces;
        tracing.AddSource(SourcePattern)
            .AddAspNetCoreInstrumentation(static o => o.Filter = static http => !IsOperational(http.Request.Path))
            .AddNpgsql();
        if (traces.HttpClient)
        {
            tracing.AddHttpClientInstrumentation();
        }

        if (traces.Redis)
        {
            // Profiles every command (a session per traced request, drained into spans): opt-in. The
            // drain polls at least every second (the default backs off to 10 s), so spans arrive soon.
            tracing.AddRedisInstrumentation(static o => o.FlushInterval = TimeSpan.FromSeconds(1));
            tracing.ConfigureRedisInstrumentation(static (sp, redis) =>
            {
                if (sp.GetService<RedisConnection>() is { } connection)
                {
                    connection.WhenConnected(multiplexer => redis.AddConnection(multiplexer));
                }
            });
        }

        if (options.AzureMonitorConnectionString is { Length: > 0 } azure)
        {
            tracing.AddAzureMonitorTraceExporter(o => o.ConnectionString = azure);
        }

        // Registered last and deferred: the Azure Monitor exporter sets its own sampler the same way,
        // and the last one set wins. Parent-based, so a caller's sampled traceparent is recorded; each
        // kept span carries its sample rate, so Application Insights scales its counts back up.
        var sampler = new SampleRateSampler(traces.SampleRatio);
        services.ConfigureOpenTelemetryTracerProvider((_, builder) => builder.SetSampler(sampler));
    }

    /// <summary>
    /// Framework instruments recorded on every proxied request whose figures the gateway's own metrics
    /// and the request durations already give: the HTTP client's connection-pool gauges (its request
    /// duration stays) and Kestrel's memory-pool counters. Dropped, they are not listened to at all.
    /// </summary>
    internal static bool IsDropped(Instrument instrument)
        => instrument.Name is "http.client.active_requests" or "http.client.request.time_in_queue" or "http.client.open_connections"
            || instrument.Meter.Name == "Microsoft.AspNetCore.MemoryPool";

    /// <summary>Health checks and scrapes are not requests anyone wants traced.</summary>
    internal static bool IsOperational(PathString path)
        => path.StartsWithSegments(MetricsPath, StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments(GatewayHosting.HealthPath, StringComparison.OrdinalIgnoreCase);

    private static void Direct(TelemetryOptions options, IConfiguration configuration)
    {
        options.OtlpEndpoint = configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? options.OtlpEndpoint;
        options.AzureMonitorConnectionString = configuration["APPLICATIONINSIGHTS_CONNECTION_STRING"] ?? options.AzureMonitorConnectionString;
    }
}
