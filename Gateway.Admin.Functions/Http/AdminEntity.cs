using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Admin.Functions.Http;

/// <summary>How the management API shows one kind of configuration entity: its response, its 404 and its unique-index 400.</summary>
/// <param name="Respond">The response body for a saved entity.</param>
/// <param name="NotFound">The 404 for an id that names no entity.</param>
/// <param name="Duplicate">The field and message of the 400 when a unique index refused the entity (on create: true).</param>
internal sealed record AdminEntity<TEntity, TResponse>(
    Func<TEntity, TResponse> Respond,
    Func<HttpContext, string, ProblemHttpResult> NotFound,
    Func<TEntity, bool, (string Field, string Message)> Duplicate);
