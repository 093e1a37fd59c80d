using Gateway.Domain.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Functions.Functions;

/// <summary><c>GET|POST /api/health</c> under the Functions host (<see cref="GatewayHosting.MapGatewayHealth"/>).</summary>
internal sealed class HealthFunction(GatewayHttpApp app)
{
    [Function("health")]
    public Task RunAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", Route = "health")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);
}
