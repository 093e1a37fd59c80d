using Gateway.Functions.Forwarding;

namespace Gateway.Functions;

/// <summary>The provider endpoints: BricksLLM's public paths, each also an HTTP function (see the function folders).</summary>
internal static class ProxyEndpoints
{
    private static readonly string[] AllMethods = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete];
    private static readonly string[] ReadWrite = [HttpMethods.Get, HttpMethods.Post, HttpMethods.Delete];

    public static IEndpointRouteBuilder MapProxy(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapMethods("/api/providers/openai/{**path}", AllMethods, static (HttpContext context, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.OpenAI, path, null));
        endpoints.MapMethods("/api/providers/azure/openai/deployments/{deploymentId}/{**path}", ReadWrite, static (HttpContext context, string deploymentId, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.Azure, path, deploymentId));
        endpoints.MapMethods("/api/providers/anthropic/{**path}", ReadWrite, static (HttpContext context, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.Anthropic, path, null));
        endpoints.MapMethods("/api/providers/vllm/{**path}", ReadWrite, static (HttpContext context, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.Vllm, path, null));
        endpoints.MapMethods("/api/providers/deepinfra/{**path}", ReadWrite, static (HttpContext context, string path, ProxyHandler handler)
            => handler.HandleAsync(context, ProviderApi.DeepInfra, path, null));
        return endpoints;
    }
}
