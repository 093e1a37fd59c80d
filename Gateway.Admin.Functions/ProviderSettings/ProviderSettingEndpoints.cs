using Gateway.Admin.Functions.Http;
using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.ProviderSettings;

/// <summary>
/// <c>/api/provider-settings</c>: upstream credentials and their parameters. Credentials are
/// encrypted (<see cref="CredentialProtector"/>) before they reach PostgreSQL or Redis and are
/// only ever shown masked.
/// </summary>
internal static class ProviderSettingEndpoints
{
    public static IEndpointRouteBuilder MapProviderSettings(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var settings = endpoints.MapGroup("/api/provider-settings").WithTags("Provider settings").ProducesAdminProblems();

        // BricksLLM serves creation on PUT (its README uses it); POST is what the issue documents.
        settings.MapMethods(string.Empty, [HttpMethods.Post, HttpMethods.Put], CreateAsync)
            .Accepts<CreateProviderSettingRequest>("application/json")
            .WithSummary("Create a provider setting")
            .WithDescription("Required parameters: `apikey` (or `apiKey`) for openai, anthropic and deepinfra; `resourceName` and `apikey` for azure; `url` for vllm; `awsAccessKeyId`, `awsSecretAccessKey`, `awsRegion` for bedrock; the `authentication_param` of a custom provider. Credentials are encrypted at rest and shown masked.");
        settings.MapGet(string.Empty, ListAsync)
            .WithSummary("List provider settings")
            .WithDescription("All settings, or those whose id is among the repeated `ids` query parameter.");
        settings.MapPatch("/{id}", UpdateAsync)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .Accepts<UpdateProviderSettingRequest>("application/json")
            .WithSummary("Update a provider setting")
            .WithDescription("`setting` is merged into the stored parameters (a given parameter replaces the stored one); `name`, `allowedModels` and `costMap` replace theirs.");
        return endpoints;
    }

    internal static Task<Results<Ok<ProviderSettingResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context, ConfigEntityStore store, ProviderSettingInput input, SettingCredentials credentials)
        => AdminWrite.CreateAsync(context, store, AdminJsonContext.Default.CreateProviderSettingRequest, Shown(credentials), input.CreateAsync);

    internal static async Task<Results<Ok<List<ProviderSettingResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext context, GatewayDbContext db, SettingCredentials credentials)
    {
        var errors = new FieldErrors();
        var ids = AdminQuery.Values(context, "ids", errors);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var query = db.ProviderSettings.AsNoTracking();
        if (ids.Count > 0)
        {
            query = query.Where(s => ids.Contains(s.Id));
        }

        var settings = await query.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).ToListAsync(context.RequestAborted);
        var shown = Shown(credentials);
        return TypedResults.Ok(settings.ConvertAll(s => shown.Respond(s)));
    }

    internal static Task<Results<Ok<ProviderSettingResponse>, ProblemHttpResult>> UpdateAsync(
        string id, HttpContext context, ConfigEntityStore store, ProviderSettingInput input, SettingCredentials credentials)
        => AdminWrite.UpdateAsync(context, store, AdminJsonContext.Default.UpdateProviderSettingRequest, Shown(credentials), AdminWrite.ById<ProviderSetting>(store, id), input.UpdateAsync);

    /// <summary>Credentials that cannot be decrypted (a changed <c>Encryption__Key</c>) are left out of the response.</summary>
    private static AdminEntity<ProviderSetting, ProviderSettingResponse> Shown(SettingCredentials credentials) => new(
        setting => ProviderSettingResponse.From(setting, credentials.TryReveal(setting, out var secrets) ? secrets : null),
        static (context, id) => AdminProblem.NotFoundResult(context, $"provider setting {id} is not found"),
        static (setting, _) => ("provider", $"provider setting {setting.Id} exists already"));
}
