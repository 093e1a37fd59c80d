using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Domain.Hosting;

/// <summary>
/// The isolated worker's OpenTelemetry integration (function invocation spans correlated with the
/// host's, and the Functions resource attributes), wired under the host only and only when telemetry
/// is configured (<c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> or <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>).
/// Exporters, and the gateway's own metrics and traces, are added by the telemetry feature.
/// </summary>
public static class WorkerTelemetry
{
    public static IReadOnlyList<string> Settings { get; } = ["APPLICATIONINSIGHTS_CONNECTION_STRING", "OTEL_EXPORTER_OTLP_ENDPOINT"];

    internal static void AddWorkerTelemetry(this IHostApplicationBuilder builder)
    {
        if (Settings.Any(name => !string.IsNullOrWhiteSpace(builder.Configuration[name])))
        {
            builder.Services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        }
    }
}
