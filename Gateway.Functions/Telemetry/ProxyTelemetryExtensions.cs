using Gateway.Domain.Telemetry;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Telemetry;

internal static class ProxyTelemetryExtensions
{
    /// <summary>
    /// OpenTelemetry for the proxy (<see cref="GatewayTelemetry.AddGatewayTelemetry"/>), its spans and
    /// metrics (<see cref="ProxyTelemetry"/>), and the step that records a finished request's metrics.
    /// </summary>
    public static TBuilder AddProxyTelemetry<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.AddGatewayTelemetry("Proxy");
        builder.Services.AddSingleton<ProxyTelemetry>();

        // Just before the usage event: both always run, and the event's publishing is not timed.
        builder.Services.AddProxyStep<ProxyTelemetryStep>(ProxyStepOrder.UsageEvent - 10, alwaysRuns: true);
        return builder;
    }
}
