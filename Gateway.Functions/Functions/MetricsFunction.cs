using Gateway.Domain.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Functions.Functions;

/// <summary><c>GET /api/metrics</c> (Prometheus text, when enabled) under the Functions host (<c>MapGatewayMetrics</c>).</summary>
internal sealed class MetricsFunction(GatewayHttpApp app)
{
    [Function("metrics")]
    public Task RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "metrics")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);
}
