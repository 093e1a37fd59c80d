namespace Gateway.Admin.Functions.FailoverRoutes;

/// <summary>A route's <c>cacheConfig</c>.</summary>
internal sealed class RouteCacheConfigItem
{
    public bool? Enabled { get; set; }

    /// <summary>Go duration, at most 720h; BricksLLM's default is <c>168h</c>.</summary>
    public string? Ttl { get; set; }
}
