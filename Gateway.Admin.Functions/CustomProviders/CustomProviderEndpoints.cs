using System.Security.Cryptography;
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
    private const int MaxProviderLength = 128;
    private const int MaxPathLength = 512;
    private const int MaxLocationLength = 512;

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

    internal static async Task<Results<Ok<CustomProviderResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.CreateCustomProviderRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        var provider = errors.Required("provider", request.Provider, MaxProviderLength).ToLowerInvariant();
        if (provider.Length > 0 && !IsProviderName(provider))
        {
            errors.Add("provider", "must be letters, digits, '.', '_' or '-' (it is a URL path segment)");
        }
        else if (BuiltInProviders.IsBuiltIn(provider))
        {
            errors.Add("provider", $"must not be the name of a built-in provider ({string.Join(", ", BuiltInProviders.All)})");
        }

        var routeConfigs = RouteConfigs(errors, request.RouteConfigs, required: true);
        var authenticationParam = AuthenticationParam(errors, request.AuthenticationParam);
        var ct = context.RequestAborted;
        if (!errors.Any && await db.CustomProviders.AnyAsync(p => p.Provider == provider, ct))
        {
            errors.Add("provider", $"is already used: a custom provider named '{provider}' exists");
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var entity = new CustomProvider
        {
            Id = Guid.NewGuid().ToString(),
            Provider = provider,
            AuthenticationParam = authenticationParam,
            RouteConfigs = routeConfigs!,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.CustomProviders.Add(entity);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            errors.Add("provider", $"is already used: a custom provider named '{provider}' exists");
            return errors.ToProblem(context);
        }

        if (await publisher.UpsertAsync(context, entity) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.CustomProviderCreated(loggers.CreateLogger(typeof(CustomProviderEndpoints)), entity.Provider, entity.Id);
        return TypedResults.Ok(CustomProviderResponse.From(entity));
    }

    internal static async Task<Ok<List<CustomProviderResponse>>> ListAsync(HttpContext context, GatewayDbContext db)
    {
        var providers = await db.CustomProviders.AsNoTracking().OrderBy(p => p.CreatedAt).ThenBy(p => p.Id).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(providers.ConvertAll(CustomProviderResponse.From));
    }

    internal static async Task<Results<Ok<CustomProviderResponse>, ProblemHttpResult>> UpdateAsync(
        string id, HttpContext context, GatewayDbContext db, CredentialProtector protector, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.UpdateCustomProviderRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var ct = context.RequestAborted;
        var entity = AdminQuery.IsLookupable(id) ? await db.CustomProviders.FirstOrDefaultAsync(p => p.Id == id, ct) : null;
        if (entity is null)
        {
            return AdminProblem.NotFoundResult(context, $"custom provider {id} is not found");
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        var routeConfigs = RouteConfigs(errors, request.RouteConfigs, required: false);
        var authenticationParam = request.AuthenticationParam is null ? entity.AuthenticationParam : AuthenticationParam(errors, request.AuthenticationParam);
        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var logger = loggers.CreateLogger(typeof(CustomProviderEndpoints));
        var reclassified = new List<ProviderSetting>();
        if (!string.Equals(authenticationParam, entity.AuthenticationParam, StringComparison.Ordinal) && !string.IsNullOrEmpty(authenticationParam))
        {
            // The new credential parameter must not sit in plain text in this provider's existing settings.
            var settings = await db.ProviderSettings.Where(s => s.Provider == entity.Provider).ToListAsync(ct);
            foreach (var setting in settings.Where(s => s.Parameters.Keys.Any(k => ProviderCredentials.IsSecret(k, authenticationParam))))
            {
                Dictionary<string, string> secrets;
                try
                {
                    secrets = setting.EncryptedSecrets is null ? [] : protector.Unprotect(setting.EncryptedSecrets);
                }
                catch (CryptographicException ex)
                {
                    ManagementLog.SettingUndecryptable(logger, setting.Id, ex);
                    return AdminProblem.Create(context, StatusCodes.Status409Conflict, AdminProblem.Conflict, "credentials cannot be decrypted",
                        $"provider setting {setting.Id} of this provider has credentials that cannot be decrypted with the configured Encryption__Key");
                }

                var parameters = new Dictionary<string, string>(setting.Parameters, StringComparer.Ordinal);
                foreach (var name in parameters.Keys.Where(k => ProviderCredentials.IsSecret(k, authenticationParam)).ToList())
                {
                    secrets[name] = parameters[name];
                    parameters.Remove(name);
                }

                setting.Parameters = parameters;
                setting.EncryptedSecrets = protector.Protect(secrets);
                setting.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
                reclassified.Add(setting);
            }
        }

        entity.RouteConfigs = routeConfigs ?? entity.RouteConfigs;
        entity.AuthenticationParam = authenticationParam;
        entity.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
        await db.SaveChangesAsync(ct);
        foreach (var setting in reclassified)
        {
            if (await publisher.UpsertAsync(context, setting) is { } settingNotPropagated)
            {
                return settingNotPropagated;
            }
        }

        if (reclassified.Count > 0)
        {
            ManagementLog.SettingsReclassified(logger, reclassified.Count, entity.Provider);
        }

        if (await publisher.UpsertAsync(context, entity) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.CustomProviderUpdated(logger, entity.Id);
        return TypedResults.Ok(CustomProviderResponse.From(entity));
    }

    private static bool IsProviderName(string name) => name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-') && name is not "." and not "..";

    private static string? AuthenticationParam(FieldErrors errors, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (value.Length > MaxProviderLength || value.Any(char.IsWhiteSpace))
        {
            errors.Add("authentication_param", $"must be a parameter name without spaces, at most {MaxProviderLength} characters");
            return null;
        }

        // BricksLLM lower-cases it; settings must then name the parameter in lower case.
        return value.ToLowerInvariant();
    }

    /// <summary>Null when not given (and not required).</summary>
    private static List<CustomRouteConfig>? RouteConfigs(FieldErrors errors, List<RouteConfigItem?>? items, bool required)
    {
        if (items is null || items.Count == 0)
        {
            if (required || items is not null)
            {
                errors.Add("route_configs", "is required: at least one {path, target_url, ...}");
            }

            return null;
        }

        var configs = new List<CustomRouteConfig>(items.Count);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"route_configs[{i}]";
            var item = items[i];
            if (item is null)
            {
                errors.Add(field, "must be an object");
                continue;
            }

            var path = errors.Required($"{field}.path", item.Path, MaxPathLength);
            if (path.Length > 0 && (!path.StartsWith('/') || path.Any(char.IsWhiteSpace) || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal)))
            {
                errors.Add($"{field}.path", "must start with / and contain no spaces, ? or #");
            }
            else if (path.Length > 0 && !paths.Add(path))
            {
                errors.Add($"{field}.path", $"'{path}' is used twice: paths must be unique within a provider");
            }

            var target = errors.Required($"{field}.target_url", item.TargetUrl, 2048);
            if (target.Length > 0 && (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
            {
                errors.Add($"{field}.target_url", "must be an absolute http or https URL");
            }

            var config = new CustomRouteConfig
            {
                Path = path,
                TargetUrl = target,
                ModelLocation = errors.Required($"{field}.model_location", item.ModelLocation, MaxLocationLength),
                RequestPromptLocation = errors.Required($"{field}.request_prompt_location", item.RequestPromptLocation, MaxLocationLength),
                ResponseCompletionLocation = errors.Required($"{field}.response_completion_location", item.ResponseCompletionLocation, MaxLocationLength),
                StreamLocation = errors.Optional($"{field}.stream_location", item.StreamLocation, MaxLocationLength),
                StreamEndWord = errors.Optional($"{field}.stream_end_word", item.StreamEndWord, MaxLocationLength),
                StreamResponseCompletionLocation = errors.Optional($"{field}.stream_response_completion_location", item.StreamResponseCompletionLocation, MaxLocationLength),
                StreamMaxEmptyMessages = item.StreamMaxEmptyMessages,
            };
            if (config.StreamLocation is not null)
            {
                if (config.StreamEndWord is null)
                {
                    errors.Add($"{field}.stream_end_word", "is required when stream_location is given");
                }

                if (config.StreamResponseCompletionLocation is null)
                {
                    errors.Add($"{field}.stream_response_completion_location", "is required when stream_location is given");
                }
            }

            if (item.StreamMaxEmptyMessages < 0)
            {
                errors.Add($"{field}.stream_max_empty_messages", "must not be negative");
            }

            configs.Add(config);
        }

        return configs;
    }
}
