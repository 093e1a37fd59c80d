using Gateway.Domain.Routing;
using Route = Gateway.Domain.Routing.Route;

namespace Gateway.Admin.Functions.FailoverRoutes;

/// <summary>A route as BricksLLM shows it.</summary>
internal sealed class RouteResponse
{
    public required string Id { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public required string Name { get; init; }

    public required string Path { get; init; }

    public required List<string> KeyIds { get; init; }

    public required string RetryStrategy { get; init; }

    public required string RequestFormat { get; init; }

    public required RouteCacheConfig CacheConfig { get; init; }

    public required List<RouteStep> Steps { get; init; }

    public static RouteResponse From(Route route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return new RouteResponse
        {
            Id = route.Id,
            CreatedAt = route.CreatedAt,
            UpdatedAt = route.UpdatedAt,
            Name = route.Name,
            Path = route.Path,
            KeyIds = route.KeyIds,
            RetryStrategy = route.RetryStrategy ?? string.Empty,
            RequestFormat = route.RequestFormat ?? string.Empty,
            CacheConfig = route.CacheConfig ?? new RouteCacheConfig(),
            Steps = route.Steps,
        };
    }
}
