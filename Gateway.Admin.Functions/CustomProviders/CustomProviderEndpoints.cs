using Gateway.Admin.Functions.Http;
using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.CustomProviders;

/// <summary>
/// <c>/api/custom/providers</c>: admin-defined upstreams, stored and validated here; the proxy
/// serves them at <c>/api/custom/providers/{provider}/{path}</c>.
/// </summary>
internal static class CustomProviderEndpoints
{
    private static readonly AdminEntity<CustomProvider, CustomProviderResponse> Shown = new(
        CustomProviderResponse.From,
        static (context, id) => AdminProblem.NotFoundResult(context, $"custom provider {id} is not found"),
        static (provider, _) => ("provider", CustomProviderInput.DuplicateMessage(provider.Provider)));

    public static IEndpointRouteBuilder MapCustomProviders(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var providers = endpoints.MapGroup("/api/custom/providers").WithTags("Custom providers").ProducesAdminProblems();
        providers.MapPost(string.Empty, CreateAsync)
            .Accepts<CreateCustomProviderRequest>("application/json")
            .WithSummary("Create a custom provider")
            .WithDescription("`provider` is a unique lower-case name (no spaces or slashes, not a built-in provider). Each route config needs `path` (unique within the provider), `target_url`, `model_location`, `request_prompt_location` and `response_completion_location`; with `stream_location` also `stream_end_word` and `stream_response_completion_location`.");
        providers.MapGet(string.Empty, ListAsync).WithSummary("List custom providers");
        providers.MapPatch("/{id}", UpdateAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Accepts<UpdateCustomProviderRequest>("application/json")
            .WithSummary("Update a custom provider")
            .WithDescription("`route_configs` replaces the stored list; `authentication_param` replaces the stored one (empty removes it).");
        return endpoints;
    }

    internal static Task<Results<Ok<CustomProviderResponse>, ProblemHttpResult>> CreateAsync(HttpContext context, ConfigEntityStore store, CustomProviderInput input)
        => AdminWrite.CreateAsync(context, store, AdminJsonContext.Default.CreateCustomProviderRequest, Shown, input.CreateAsync);

    internal static async Task<Ok<List<CustomProviderResponse>>> ListAsync(HttpContext context, GatewayDbContext db)
    {
        var providers = await db.CustomProviders.AsNoTracking().OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(providers.ConvertAll(CustomProviderResponse.From));
    }

    internal static Task<Results<Ok<CustomProviderResponse>, ProblemHttpResult>> UpdateAsync(string id, HttpContext context, ConfigEntityStore store, CustomProviderInput input)
        => AdminWrite.UpdateAsync(context, store, AdminJsonContext.Default.UpdateCustomProviderRequest, Shown, AdminWrite.ById<CustomProvider>(store, id), input.UpdateAsync);
}
