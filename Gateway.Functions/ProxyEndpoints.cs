using Gateway.Functions.Forwarding;

namespace Gateway.Functions;

/// <summary>The provider endpoints: BricksLLM's public paths, each also an HTTP function (see the function folders).</summary>
internal static class ProxyEndpoints
{
    private static readonly string[] AllMethods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];
    private static readonly string[] ReadWrite = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete];

    /// <summary>
    /// BricksLLM reflects any <c>Origin</c> so browser apps can call the proxy. Safe because the
    /// gateway authenticates with API keys in headers, never cookies: no credentials are allowed.
    /// </summary>
    public const string CorsPolicy = "proxy";

    public static WebApplicationBuilder AddProxyCors(this WebApplicationBuilder builder)
    {
        builder.Services.AddCors(options => options.AddPolicy(CorsPolicy, policy => policy
            .SetIsOriginAllowed(static _ => true)
            .AllowAnyHeader()
            .AllowAnyMethod()
            .WithExposedHeaders("Retry-After", "x-request-id")));
        return builder;
    }

    public static IEndpointRouteBuilder MapProxy(this IEndpointRouteBuilder endpoints)
    {
        var proxy = endpoints.MapGroup(string.Empty).RequireCors(CorsPolicy);
        proxy.MapMethods("/api/providers/openai/{**path}", AllMethods, static (HttpContext context, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.OpenAI, path, null));
        proxy.MapMethods("/api/providers/azure/openai/deployments/{deploymentId}/{**path}", ReadWrite, static (HttpContext context, string deploymentId, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.Azure, path, deploymentId));
        proxy.MapMethods("/api/providers/anthropic/{**path}", ReadWrite, static (HttpContext context, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.Anthropic, path, null));
        proxy.MapMethods("/api/providers/vllm/{**path}", ReadWrite, static (HttpContext context, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.Vllm, path, null));
        proxy.MapMethods("/api/providers/deepinfra/{**path}", ReadWrite, static (HttpContext context, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.DeepInfra, path, null));
        return endpoints;
    }
}
