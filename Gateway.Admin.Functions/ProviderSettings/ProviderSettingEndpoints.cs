using System.Security.Cryptography;
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
    private const int MaxNameLength = 256;
    private const int MaxParameterNameLength = 128;
    private const int MaxParameterValueLength = 8192;
    private const int MaxModelLength = 256;

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

    internal static async Task<Results<Ok<ProviderSettingResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context, GatewayDbContext db, CredentialProtector protector, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.CreateProviderSettingRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        var ct = context.RequestAborted;
        var provider = errors.Required("provider", request.Provider, 128).ToLowerInvariant();
        string? authenticationParam = null;
        if (provider.Length > 0 && !BuiltInProviders.IsBuiltIn(provider))
        {
            var custom = await db.CustomProviders.AsNoTracking().FirstOrDefaultAsync(p => p.Provider == provider, ct);
            if (custom is null)
            {
                errors.Add("provider", $"must be one of {string.Join(", ", BuiltInProviders.All)} or the name of a custom provider, got '{Truncate(provider)}'");
            }

            authenticationParam = custom?.AuthenticationParam;
        }

        var setting = Parameters(errors, request.Setting) ?? [];
        var name = errors.Optional("name", request.Name, MaxNameLength) ?? string.Empty;
        var allowedModels = errors.Strings("allowedModels", request.AllowedModels, MaxModelLength) ?? [];
        var costMap = CostMapOf(errors, request.CostMap);
        if (!errors.Any)
        {
            CheckRequired(errors, provider, authenticationParam, setting);
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var (parameters, secrets) = ProviderCredentials.Split(setting, authenticationParam);
        var entity = new ProviderSetting
        {
            Id = Guid.NewGuid().ToString(),
            Name = name,
            Provider = provider,
            Parameters = parameters,
            EncryptedSecrets = secrets.Count == 0 ? null : protector.Protect(secrets),
            AllowedModels = allowedModels,
            CostMap = costMap,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.ProviderSettings.Add(entity);
        await db.SaveChangesAsync(ct);
        if (await publisher.UpsertAsync(context, entity) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.SettingCreated(loggers.CreateLogger(typeof(ProviderSettingEndpoints)), entity.Id, entity.Provider);
        return TypedResults.Ok(ToResponse(entity, secrets));
    }

    internal static async Task<Results<Ok<List<ProviderSettingResponse>>, ProblemHttpResult>> ListAsync(
        HttpContext context, GatewayDbContext db, CredentialProtector protector, ILoggerFactory loggers)
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
        var logger = loggers.CreateLogger(typeof(ProviderSettingEndpoints));
        return TypedResults.Ok(settings.ConvertAll(s => ToResponse(s, TryUnprotect(protector, s, logger))));
    }

    internal static async Task<Results<Ok<ProviderSettingResponse>, ProblemHttpResult>> UpdateAsync(
        string id, HttpContext context, GatewayDbContext db, CredentialProtector protector, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.UpdateProviderSettingRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var ct = context.RequestAborted;
        var entity = AdminQuery.IsLookupable(id) ? await db.ProviderSettings.FirstOrDefaultAsync(s => s.Id == id, ct) : null;
        if (entity is null)
        {
            return AdminProblem.NotFoundResult(context, $"provider setting {id} is not found");
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        var changes = Parameters(errors, request.Setting);
        var name = request.Name is null ? null : errors.Optional("name", request.Name, MaxNameLength) ?? string.Empty;
        var allowedModels = errors.Strings("allowedModels", request.AllowedModels, MaxModelLength);
        var costMap = request.CostMap is null ? null : CostMapOf(errors, request.CostMap);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        string? authenticationParam = null;
        if (!BuiltInProviders.IsBuiltIn(entity.Provider))
        {
            authenticationParam = await db.CustomProviders.AsNoTracking()
                .Where(p => p.Provider == entity.Provider).Select(p => p.AuthenticationParam).FirstOrDefaultAsync(ct);
        }

        Dictionary<string, string> secrets;
        try
        {
            secrets = entity.EncryptedSecrets is null ? [] : protector.Unprotect(entity.EncryptedSecrets);
        }
        catch (CryptographicException ex)
        {
            ManagementLog.SettingUndecryptable(loggers.CreateLogger(typeof(ProviderSettingEndpoints)), entity.Id, ex);
            return AdminProblem.Create(context, StatusCodes.Status409Conflict, AdminProblem.Conflict, "credentials cannot be decrypted",
                $"the stored credentials of provider setting {entity.Id} cannot be decrypted with the configured Encryption__Key; create a new setting");
        }

        if (changes is not null)
        {
            // Merge as BricksLLM does: given parameters replace stored ones. A credential stays secret
            // even if its name would no longer classify it as one.
            var merged = new Dictionary<string, string>(entity.Parameters, StringComparer.Ordinal);
            foreach (var (secretName, value) in secrets)
            {
                merged[secretName] = value;
            }

            foreach (var (parameter, value) in changes)
            {
                merged[parameter] = value;
            }

            CheckRequired(errors, entity.Provider, authenticationParam, merged);
            if (errors.Any)
            {
                return errors.ToProblem(context);
            }

            var (parameters, newSecrets) = ProviderCredentials.Split(merged, authenticationParam);
            foreach (var secretName in secrets.Keys.Where(parameters.ContainsKey).ToList())
            {
                newSecrets[secretName] = parameters[secretName];
                parameters.Remove(secretName);
            }

            secrets = newSecrets;
            entity.Parameters = parameters;
            entity.EncryptedSecrets = secrets.Count == 0 ? null : protector.Protect(secrets);
        }

        entity.Name = name ?? entity.Name;
        entity.AllowedModels = allowedModels ?? entity.AllowedModels;
        entity.CostMap = request.CostMap is null ? entity.CostMap : costMap;
        entity.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        await db.SaveChangesAsync(ct);
        if (await publisher.UpsertAsync(context, entity) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.SettingUpdated(loggers.CreateLogger(typeof(ProviderSettingEndpoints)), entity.Id);
        return TypedResults.Ok(ToResponse(entity, secrets));
    }

    internal static ProviderSettingResponse ToResponse(ProviderSetting setting, Dictionary<string, string>? secrets)
    {
        var shown = new SortedDictionary<string, string>(setting.Parameters, StringComparer.Ordinal);
        foreach (var (name, value) in secrets ?? [])
        {
            shown[name] = Mask(value);
        }

        return new ProviderSettingResponse
        {
            Id = setting.Id,
            CreatedAt = setting.CreatedAt,
            UpdatedAt = setting.UpdatedAt,
            Provider = setting.Provider,
            Name = setting.Name,
            AllowedModels = setting.AllowedModels,
            CostMap = setting.CostMap,
            Setting = shown,
        };
    }

    /// <summary>Enough to tell two keys apart, never enough to use one.</summary>
    internal static string Mask(string secret) => secret.Length >= 12 ? "****" + secret[^4..] : "****";

    private static Dictionary<string, string>? TryUnprotect(CredentialProtector protector, ProviderSetting setting, ILogger logger)
    {
        if (setting.EncryptedSecrets is null)
        {
            return null;
        }

        try
        {
            return protector.Unprotect(setting.EncryptedSecrets);
        }
        catch (CryptographicException ex)
        {
            ManagementLog.SettingUndecryptable(logger, setting.Id, ex);
            return null;
        }
    }

    /// <summary>The <c>setting</c> map with names normalised (<c>apiKey</c> → <c>apikey</c>); null when not given.</summary>
    private static Dictionary<string, string>? Parameters(FieldErrors errors, Dictionary<string, string?>? setting)
    {
        if (setting is null)
        {
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawName, value) in setting)
        {
            var field = $"setting.{rawName}";
            if (string.IsNullOrWhiteSpace(rawName) || rawName.Length > MaxParameterNameLength)
            {
                errors.Add("setting", $"parameter names must be 1 to {MaxParameterNameLength} characters");
                continue;
            }

            if (value is null)
            {
                errors.Add(field, "must be a string");
                continue;
            }

            if (value.Length > MaxParameterValueLength)
            {
                errors.Add(field, $"must be at most {MaxParameterValueLength} characters");
                continue;
            }

            var name = ProviderCredentials.NormalizeName(rawName);
            if (!result.TryAdd(name, value))
            {
                errors.Add(field, $"is given twice (apiKey and apikey are the same parameter)");
            }
        }

        return result;
    }

    private static void CheckRequired(FieldErrors errors, string provider, string? authenticationParam, Dictionary<string, string> setting)
    {
        var required = BuiltInProviders.IsBuiltIn(provider)
            ? BuiltInProviders.RequiredParameters(provider)
            : string.IsNullOrEmpty(authenticationParam) ? [] : [authenticationParam];
        foreach (var parameter in required)
        {
            if (!setting.TryGetValue(parameter, out var value) || string.IsNullOrWhiteSpace(value))
            {
                errors.Add($"setting.{parameter}", $"is required for provider {provider}");
            }
        }

        // These become part of upstream URLs: an admin chooses the host, a typo must not choose another one.
        if (provider == BuiltInProviders.Azure && setting.TryGetValue("resourceName", out var resource) && resource.Length > 0
            && (resource.Length > 63 || !resource.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            errors.Add("setting.resourceName", "must be an Azure resource name (letters, digits and hyphens), e.g. my-openai for https://my-openai.openai.azure.com");
        }

        if (setting.TryGetValue("url", out var url) && url.Length > 0
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            errors.Add("setting.url", "must be an absolute http or https URL, e.g. http://10.0.0.5:8000");
        }
    }

    private static CostMap? CostMapOf(FieldErrors errors, CostMapItem? item)
    {
        if (item is null)
        {
            return null;
        }

        return new CostMap
        {
            PromptCostPerModel = Prices(errors, "costMap.promptCostPerModel", item.PromptCostPerModel),
            CompletionCostPerModel = Prices(errors, "costMap.completionCostPerModel", item.CompletionCostPerModel),
            EmbeddingsCostPerModel = Prices(errors, "costMap.embeddingsCostPerModel", item.EmbeddingsCostPerModel),
        };
    }

    private static Dictionary<string, decimal> Prices(FieldErrors errors, string field, Dictionary<string, decimal>? prices)
    {
        var result = new Dictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var (model, price) in prices ?? [])
        {
            if (string.IsNullOrWhiteSpace(model) || model.Length > MaxModelLength)
            {
                errors.Add(field, $"model names must be 1 to {MaxModelLength} characters");
            }
            else if (price < 0)
            {
                errors.Add($"{field}.{model}", "must not be negative");
            }
            else
            {
                result[model] = price;
            }
        }

        return result;
    }

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "...";
}
