namespace Gateway.Admin.Functions.FailoverRoutes;

/// <summary>Body of <c>POST /api/routes</c>.</summary>
internal sealed class CreateRouteRequest
{
    public string? Name { get; set; }

    /// <summary>Unique; the proxy serves the route at <c>/api/routes{path}</c>.</summary>
    public string? Path { get; set; }

    /// <summary>The keys allowed to call the route.</summary>
    public List<string?>? KeyIds { get; set; }

    /// <summary><c>exponential</c> or <c>constant</c>.</summary>
    public string? RetryStrategy { get; set; }

    /// <summary><c>openai_embeddings</c>; empty means chat completions.</summary>
    public string? RequestFormat { get; set; }

    public RouteCacheConfigItem? CacheConfig { get; set; }

    public List<RouteStepItem?>? Steps { get; set; }
}
