using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Routing;

/// <summary>
/// BricksLLM's routed endpoints: failover routes at <c>/api/routes/{path}</c> (and
/// <c>/api/route/{path}</c>), custom providers at <c>/api/custom/providers/{provider}/{path}</c>.
/// </summary>
internal static class RouteEndpoints
{
    public static IEndpointRouteBuilder MapRoutesAndCustomProviders(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup(string.Empty).RequireCors(ProxyEndpoints.CorsPolicy);
        var routes = endpoints.ServiceProvider.GetRequiredService<RoutePipeline>().Pipeline;
        foreach (var pattern in (string[])["/api/routes/{**path}", "/api/route/{**path}"])
        {
            group.MapPost(pattern, (HttpContext http) => routes.RunAsync(http, RouteEntryAdapter.Instance, PathOf(http), deploymentId: null));
        }

        var pipeline = endpoints.ServiceProvider.GetRequiredService<ProxyPipeline>();
        var custom = endpoints.ServiceProvider.GetRequiredService<CustomProviderAdapters>();
        group.MapPost("/api/custom/providers/{provider}/{**path}", (HttpContext http) =>
        {
            var path = PathOf(http);
            var provider = http.Request.RouteValues["provider"] as string ?? string.Empty;
            return custom.Find(provider, path) is { } adapter
                ? pipeline.RunAsync(http, adapter, path, deploymentId: null)
                : ProxyErrorWriter.WriteAsync(http, ApiStyle.OpenAI, ProxyOutcome.NotFound($"custom provider {provider} has no route config for /{path}"));
        });
        return endpoints;
    }

    private static string PathOf(HttpContext http) => http.Request.RouteValues["path"] as string ?? string.Empty;
}
