using Gateway.Admin.Functions.Http;
using Gateway.Domain.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Route = Gateway.Domain.Routing.Route;

namespace Gateway.Admin.Functions.FailoverRoutes;

/// <summary>
/// <c>/api/routes</c>: failover routes (ordered provider steps with retries, optional response
/// cache), stored and validated here; the proxy serves them at <c>/api/routes{path}</c>.
/// </summary>
internal static class RouteEndpoints
{
    private static readonly AdminEntity<Route, RouteResponse> Shown = new(
        RouteResponse.From,
        static (context, id) => AdminProblem.NotFoundResult(context, $"route {id} is not found", AdminProblem.RouteNotFound),
        static (route, _) => ("path", RouteInput.DuplicatePathMessage(route.Path)));

    public static IEndpointRouteBuilder MapFailoverRoutes(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var routes = endpoints.MapGroup("/api/routes").WithTags("Routes").ProducesAdminProblems();
        routes.MapPost(string.Empty, CreateAsync)
            .Accepts<CreateRouteRequest>("application/json")
            .WithSummary("Create a route")
            .WithDescription("`name`, a unique `path`, `keyIds` (existing keys whose provider settings cover every step's provider) and `steps` are required. Steps use `openai` or `azure` (azure needs `params.deploymentId` and `params.apiVersion`). Defaults: step `timeout` 5m; cache `ttl` 168h when caching is enabled (at most 720h).");
        routes.MapGet(string.Empty, ListAsync).WithSummary("List routes");
        routes.MapGet("/{id}", GetAsync).WithSummary("Get a route").ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a route").ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    internal static Task<Results<Ok<RouteResponse>, ProblemHttpResult>> CreateAsync(HttpContext context, ConfigEntityStore store, RouteInput input)
        => AdminWrite.CreateAsync(context, store, AdminJsonContext.Default.CreateRouteRequest, Shown, input.CreateAsync);

    internal static async Task<Ok<List<RouteResponse>>> ListAsync(HttpContext context, GatewayDbContext db)
    {
        var routes = await db.Routes.AsNoTracking().OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(routes.ConvertAll(RouteResponse.From));
    }

    internal static async Task<Results<Ok<RouteResponse>, ProblemHttpResult>> GetAsync(string id, HttpContext context, GatewayDbContext db)
    {
        var route = ConfigEntityStore.IsLookupable(id) ? await db.Routes.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, context.RequestAborted) : null;
        return route is null ? Shown.NotFound(context, id) : TypedResults.Ok(RouteResponse.From(route));
    }

    internal static Task<Results<Ok, ProblemHttpResult>> DeleteAsync(string id, HttpContext context, ConfigEntityStore store)
        => AdminWrite.DeleteAsync<Route>(context, store, id, Shown.NotFound);
}
