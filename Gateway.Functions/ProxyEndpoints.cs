using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions;

/// <summary>The provider endpoints: BricksLLM's public paths, each also an HTTP function (see the function folders).</summary>
internal static class ProxyEndpoints
{
    /// <summary>
    /// BricksLLM reflects any <c>Origin</c> so browser apps can call the proxy. Safe because the
    /// gateway authenticates with API keys in headers, never cookies: no credentials are allowed.
    /// </summary>
    public const string CorsPolicy = "proxy";

    public static IHostApplicationBuilder AddProxyCors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddCors(options => options.AddPolicy(CorsPolicy, policy => policy
            .SetIsOriginAllowed(static _ => true)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("Retry-After", "x-request-id", Routing.RouteHeaders.Step, Routing.RouteHeaders.Attempts)));
        return builder;
    }

    /// <summary>One route per registered adapter, all into the same pipeline.</summary>
    public static IEndpointRouteBuilder MapProxy(this IEndpointRouteBuilder endpoints)
    {
        var proxy = endpoints.MapGroup(string.Empty).RequireCors(CorsPolicy);
        var pipeline = endpoints.ServiceProvider.GetRequiredService<ProxyPipeline>();
        foreach (var adapter in endpoints.ServiceProvider.GetRequiredService<ProviderAdapters>().All)
        {
            if (adapter.Route is not { } route)
            {
                continue;
            }

            proxy.MapMethods(route.Pattern, route.Methods, (HttpContext context) => pipeline.RunAsync(
                context,
                adapter,
                context.Request.RouteValues["path"] as string ?? string.Empty,
                context.Request.RouteValues["deploymentId"] as string));
            if (route.RefusedMethods is { Count: > 0 } refused)
            {
                proxy.MapMethods(route.Pattern, refused, (HttpContext context) => MethodNotAllowedAsync(context, adapter, route));
            }
        }

        return endpoints;
    }

    private static Task MethodNotAllowedAsync(HttpContext context, IProviderAdapter adapter, ProviderRoute route)
    {
        var allowed = string.Join(", ", route.Methods);
        context.Response.OnStarting(() =>
        {
            // Set as the headers go out: the error writer starts from cleared headers.
            context.Response.Headers.Allow = allowed;
            return Task.CompletedTask;
        });
        var outcome = new ProxyOutcome(StatusCodes.Status405MethodNotAllowed, ProxyErrorKind.InvalidRequest, $"{context.Request.Method} is not allowed on {context.Request.Path}: {adapter.Name} answers {allowed}");
        return ProxyErrorWriter.WriteAsync(context, adapter.ErrorStyle, outcome);
    }
}
