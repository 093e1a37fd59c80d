using System.Text.Json.Serialization.Metadata;
using Gateway.Domain.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Admin.Functions.Http;

/// <summary>
/// Every management write, one shape: read the body, validate it into an entity, hand it to
/// <see cref="ConfigEntityStore"/> (PostgreSQL, then the Redis config cache), map the outcome to
/// the response or to BricksLLM's problem+json. Endpoints supply only the validation.
/// </summary>
internal static class AdminWrite
{
    public const string NotPropagatedType = "/errors/config-cache";

    /// <summary>Validates the body into a new entity and inserts it. <paramref name="validate"/> returns null only with errors.</summary>
    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> CreateAsync<TRequest, TEntity, TResponse>(
        HttpContext context,
        ConfigEntityStore store,
        JsonTypeInfo<TRequest> bodyType,
        AdminEntity<TEntity, TResponse> shown,
        Func<TRequest, FieldErrors, CancellationToken, Task<TEntity?>> validate)
        where TRequest : class
        where TEntity : class
    {
        var body = await AdminJsonBody.ReadAsync(context, bodyType);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var errors = new FieldErrors();
        var entity = await validate(body.Value!, errors, context.RequestAborted);
        if (errors.Any || entity is null)
        {
            return errors.ToProblem(context);
        }

        return Map(context, await store.AddAsync(entity, context.RequestAborted), entity, shown, created: true);
    }

    /// <summary>Finds the entity, validates the body against it and, when valid, applies and saves the change.</summary>
    public static async Task<Results<Ok<TResponse>, ProblemHttpResult>> UpdateAsync<TRequest, TEntity, TResponse>(
        HttpContext context,
        ConfigEntityStore store,
        JsonTypeInfo<TRequest> bodyType,
        AdminEntity<TEntity, TResponse> shown,
        Func<CancellationToken, Task<(TEntity? Entity, string Name)>> find,
        Func<TRequest, TEntity, FieldErrors, CancellationToken, Task> apply)
        where TRequest : class
        where TEntity : class
    {
        var body = await AdminJsonBody.ReadAsync(context, bodyType);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var (entity, name) = await find(context.RequestAborted);
        if (entity is null)
        {
            return shown.NotFound(context, name);
        }

        var errors = new FieldErrors();
        await apply(body.Value!, entity, errors, context.RequestAborted);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        return Map(context, await store.UpdateAsync(entity, context.RequestAborted), entity, shown, created: false);
    }

    /// <summary>Finds the entity by primary key (<see cref="ConfigEntityStore.FindAsync{T}"/>).</summary>
    public static Func<CancellationToken, Task<(TEntity? Entity, string Name)>> ById<TEntity>(ConfigEntityStore store, string id)
        where TEntity : class
        => async ct => (await store.FindAsync<TEntity>(id, ct), id);

    /// <summary>BricksLLM answers 200 with an empty body; an unknown id is a 404 here.</summary>
    public static async Task<Results<Ok, ProblemHttpResult>> DeleteAsync<TEntity>(
        HttpContext context, ConfigEntityStore store, string id, Func<HttpContext, string, ProblemHttpResult> notFound)
        where TEntity : class
    {
        var change = await store.DeleteAsync<TEntity>(id, context.RequestAborted);
        return change.Outcome switch
        {
            ConfigChangeOutcome.Done => TypedResults.Ok(),
            ConfigChangeOutcome.NotFound => notFound(context, id),
            _ => NotPropagated(context, change),
        };
    }

    private static Results<Ok<TResponse>, ProblemHttpResult> Map<TEntity, TResponse>(
        HttpContext context, ConfigChange change, TEntity entity, AdminEntity<TEntity, TResponse> shown, bool created)
    {
        switch (change.Outcome)
        {
            case ConfigChangeOutcome.Done:
                return TypedResults.Ok(shown.Respond(entity));
            case ConfigChangeOutcome.Duplicate:
                // A unique index refused the row: a concurrent request created the same key, path or
                // name between our check and our insert. Answered as the same 400 the check gives.
                var errors = new FieldErrors();
                var (field, message) = shown.Duplicate(entity, created);
                errors.Add(field, message);
                return errors.ToProblem(context);
            case ConfigChangeOutcome.NotFound:
                return shown.NotFound(context, change.Id);
            default:
                return NotPropagated(context, change);
        }
    }

    /// <summary>Saved but not yet in the config cache: a 503, because a revocation proxies do not see yet must not look done.</summary>
    private static ProblemHttpResult NotPropagated(HttpContext context, ConfigChange change)
        => AdminProblem.Create(
            context,
            StatusCodes.Status503ServiceUnavailable,
            NotPropagatedType,
            "saved, not yet propagated",
            $"the change to {change.Kind} {change.Id} is saved in PostgreSQL, but the Redis config cache could not be updated; proxies will see it after the next config refresh");
}
