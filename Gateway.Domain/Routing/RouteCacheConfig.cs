namespace Gateway.Domain.Routing;

/// <summary>Response caching of a route.</summary>
public sealed class RouteCacheConfig
{
    public bool Enabled { get; set; }

    /// <summary>Go-style duration, e.g. <c>1h</c>.</summary>
    public string? Ttl { get; set; }
}
