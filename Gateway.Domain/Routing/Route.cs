namespace Gateway.Domain.Routing;

/// <summary>A failover route served at <c>/api/routes/{path}</c>.</summary>
public sealed class Route
{
    public required string Id { get; set; }

    public string Name { get; set; } = string.Empty;

    /// <summary>Unique; the part after <c>/api/routes</c>, starting with <c>/</c>.</summary>
    public required string Path { get; set; }

    public List<string> KeyIds { get; set; } = [];

    /// <summary><c>exponential</c> or <c>constant</c>.</summary>
    public string? RetryStrategy { get; set; }

    /// <summary><c>openai_embeddings</c>, or chat completions when empty.</summary>
    public string? RequestFormat { get; set; }

    public RouteCacheConfig? CacheConfig { get; set; }

    public List<RouteStep> Steps { get; set; } = [];

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
