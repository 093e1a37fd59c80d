using Gateway.Domain.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Functions.Functions;

/// <summary>
/// Failover routes and custom providers under the Functions host (see <see cref="ProviderFunctions"/>):
/// each hands its request to the app's HTTP pipeline, where <c>MapRoutesAndCustomProviders</c> serves it.
/// </summary>
internal sealed class RouteFunctions(GatewayHttpApp app)
{
    [Function("routes")]
    public Task RoutesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "routes/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("route")]
    public Task RouteAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "route/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("custom-providers")]
    public Task CustomProvidersAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "custom/providers/{provider}/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);
}
