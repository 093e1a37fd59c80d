using Gateway.Admin.Functions.Http;
using Gateway.Domain.Keys;
using Gateway.Domain.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.KeyManagement;

/// <summary>
/// BricksLLM's key management: <c>/api/key-management/keys</c> and the v2 search. The raw key is
/// hashed on arrival and then forgotten: it is never stored, returned, cached or logged.
/// </summary>
internal static class KeyEndpoints
{
    private static readonly AdminEntity<ApiKey, KeyResponse> Shown = new(
        KeyResponse.From,
        static (context, keyId) => AdminProblem.NotFoundResult(context, $"key {keyId} is not found"),
        static (_, _) => ("key", KeyInput.DuplicateKeyMessage));

    public static IEndpointRouteBuilder MapKeyManagement(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var keys = endpoints.MapGroup("/api/key-management/keys").WithTags("Keys").ProducesAdminProblems();
        keys.MapPut(string.Empty, CreateAsync)
            .Accepts<CreateKeyRequest>("application/json")
            .WithSummary("Create a key")
            .WithDescription("`key` is the secret clients will send; it is stored only as a SHA-256 hash and never returned. `settingIds` is required (the deprecated `settingId` is merged into it).");
        keys.MapGet(string.Empty, ListAsync)
            .WithSummary("List keys by tag, tags, keyIds or provider")
            .WithDescription("At least one of the query parameters `tag`, `tags` (repeated), `keyIds` (repeated) or `provider` is required; they combine with AND. Use `POST /api/v2/key-management/keys` to list all keys.");
        keys.MapPatch("/{keyId}", UpdateAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Accepts<UpdateKeyRequest>("application/json")
            .WithSummary("Update a key")
            .WithDescription("Only the fields given change. A limit amount and its unit are given together; 0 with an empty unit removes the limit; an empty `ttl` removes the ttl.");
        keys.MapDelete("/{keyId}", DeleteAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .WithSummary("Delete a key")
            .WithDescription("The key stops working on every proxy instance at once (config cache invalidation).");
        endpoints.MapPost("/api/v2/key-management/keys", SearchAsync)
            .WithTags("Keys")
            .ProducesAdminProblems()
            .Accepts<KeySearchRequest>("application/json")
            .WithSummary("Search keys")
            .WithDescription("Filters combine with AND; `order` sorts by creation time (default `desc`); `count` is all matches before paging, returned when `returnCount` is true.");
        return endpoints;
    }

    internal static Task<Results<Ok<KeyResponse>, ProblemHttpResult>> CreateAsync(HttpContext context, ConfigEntityStore store, KeyInput input)
        => AdminWrite.CreateAsync(context, store, AdminJsonContext.Default.CreateKeyRequest, Shown, input.CreateAsync);

    internal static async Task<Results<Ok<List<KeyResponse>>, ProblemHttpResult>> ListAsync(HttpContext context, GatewayDbContext db)
    {
        var errors = new FieldErrors();
        // BricksLLM reads one `tag` and the repeated `tags`; both select keys carrying all of them.
        var tags = AdminQuery.Values(context, "tag", errors).Union(AdminQuery.Values(context, "tags", errors), StringComparer.Ordinal).ToList();

        var keyIds = AdminQuery.Values(context, "keyIds", errors);
        var provider = AdminQuery.Value(context, "provider", errors);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        if (tags.Count == 0 && keyIds.Count == 0 && provider is null)
        {
            return AdminProblem.BadRequest(
                context,
                "one of the query parameters tag, tags, keyIds or provider is required; POST /api/v2/key-management/keys lists all keys",
                AdminProblem.MissingFilters);
        }

        var keys = await KeyQueries.ListAsync(db, tags, keyIds, provider, context.RequestAborted);
        return TypedResults.Ok(keys.ConvertAll(KeyResponse.From));
    }

    internal static Task<Results<Ok<KeyResponse>, ProblemHttpResult>> UpdateAsync(string keyId, HttpContext context, ConfigEntityStore store, KeyInput input)
        => AdminWrite.UpdateAsync(context, store, AdminJsonContext.Default.UpdateKeyRequest, Shown, AdminWrite.ById<ApiKey>(store, keyId), input.UpdateAsync);

    internal static Task<Results<Ok, ProblemHttpResult>> DeleteAsync(string keyId, HttpContext context, ConfigEntityStore store)
        => AdminWrite.DeleteAsync<ApiKey>(context, store, keyId, Shown.NotFound);

    internal static async Task<Results<Ok<KeySearchResponse>, ProblemHttpResult>> SearchAsync(HttpContext context, GatewayDbContext db)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.KeySearchRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        var keyIds = errors.Strings("keyIds", request.KeyIds, 256) ?? [];
        var tags = errors.Strings("tags", request.Tags, KeyInput.MaxTagLength) ?? [];
        if (request.Limit < 0)
        {
            errors.Add("limit", "must not be negative");
        }

        if (request.Offset < 0)
        {
            errors.Add("offset", "must not be negative");
        }

        var descending = true;
        if (!string.IsNullOrEmpty(request.Order))
        {
            if (string.Equals(request.Order, "asc", StringComparison.OrdinalIgnoreCase))
            {
                descending = false;
            }
            else if (!string.Equals(request.Order, "desc", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("order", "must be asc or desc");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var (keys, count) = await KeyQueries.SearchAsync(db, request, tags, keyIds, descending, context.RequestAborted);
        return TypedResults.Ok(new KeySearchResponse { Keys = keys.ConvertAll(KeyResponse.From), Count = count });
    }
}
