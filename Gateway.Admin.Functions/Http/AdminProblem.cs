using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Admin.Functions.Http;

/// <summary>
/// BricksLLM's admin error shape (RFC 7807): <c>{"type":"/errors/&lt;slug&gt;","title","status","detail","instance"}</c>
/// served as <c>application/problem+json</c>. Slugs are BricksLLM's (<c>/errors/validation</c>, <c>/errors/not-found</c>, ...).
/// </summary>
internal static class AdminProblem
{
    public const string Validation = "/errors/validation";
    public const string JsonUnmarshal = "/errors/json-unmarshal";
    public const string NotFound = "/errors/not-found";
    public const string RouteNotFound = "/errors/route-not-found";
    public const string MissingFilters = "/errors/missing-filteres"; // sic: BricksLLM's spelling, kept for compatibility
    public const string Conflict = "/errors/conflict";
    public const string Unauthorized = "/errors/unauthorized";

    public static ProblemHttpResult Create(HttpContext context, int status, string type, string title, string detail)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
        {
            Status = status,
            Type = type,
            Title = title,
            Detail = detail,
            Instance = context.Request.Path,
        });
    }

    public static ProblemHttpResult BadRequest(HttpContext context, string detail, string type = Validation)
        => Create(context, StatusCodes.Status400BadRequest, type, "request validation failed", detail);

    public static ProblemHttpResult NotFoundResult(HttpContext context, string detail, string type = NotFound)
        => Create(context, StatusCodes.Status404NotFound, type, "not found", detail);
}
