using Gateway.Admin.Functions.Http;
using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.CustomProviders;

/// <summary>Validation of custom provider bodies into <see cref="CustomProvider"/> changes.</summary>
internal sealed partial class CustomProviderInput(GatewayDbContext db, SettingCredentials credentials, TimeProvider time, ILogger<CustomProviderInput> logger)
{
    private const int MaxProviderLength = 128;
    private const int MaxPathLength = 512;
    private const int MaxLocationLength = 512;

    public static string DuplicateMessage(string provider) => $"is already used: a custom provider named '{provider}' exists";

    public async Task<CustomProvider?> CreateAsync(CreateCustomProviderRequest request, FieldErrors errors, CancellationToken ct)
    {
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
        if (!errors.Any && await db.CustomProviders.AnyAsync(p => p.Provider == provider, ct))
        {
            errors.Add("provider", DuplicateMessage(provider));
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return errors.Any ? null : new CustomProvider
        {
            Id = Guid.NewGuid().ToString(),
            Provider = provider,
            AuthenticationParam = authenticationParam,
            RouteConfigs = routeConfigs!,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    public async Task UpdateAsync(UpdateCustomProviderRequest request, CustomProvider entity, FieldErrors errors, CancellationToken ct)
    {
        var routeConfigs = RouteConfigs(errors, request.RouteConfigs, required: false);
        var authenticationParam = request.AuthenticationParam is null ? entity.AuthenticationParam : AuthenticationParam(errors, request.AuthenticationParam);
        if (errors.Any)
        {
            return;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        if (!string.Equals(authenticationParam, entity.AuthenticationParam, StringComparison.Ordinal) && !string.IsNullOrEmpty(authenticationParam))
        {
            // The new credential parameter must not sit in plain text in this provider's existing
            // settings: they are re-encrypted and saved with the provider, in one transaction.
            var settings = await db.ProviderSettings.Where(s => s.Provider == entity.Provider).ToListAsync(ct);
            var affected = settings.Where(s => s.Parameters.Keys.Any(k => ProviderCredentials.IsSecret(k, authenticationParam))).ToList();
            foreach (var setting in affected)
            {
                if (!credentials.TryReveal(setting, out var secrets))
                {
                    errors.Refuse(context => AdminProblem.Create(context, StatusCodes.Status409Conflict, AdminProblem.Conflict, "credentials cannot be decrypted",
                        $"provider setting {setting.Id} of this provider has credentials that cannot be decrypted with the configured Encryption__Key"));
                    return;
                }

                credentials.Store(setting, SettingCredentials.Merge(setting, secrets), authenticationParam, secrets.Keys);
                setting.UpdatedAt = now;
            }

            if (affected.Count > 0)
            {
                LogReclassifying(logger, affected.Count, entity.Provider);
            }
        }

        entity.RouteConfigs = routeConfigs ?? entity.RouteConfigs;
        entity.AuthenticationParam = authenticationParam;
        entity.UpdatedAt = now;
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

    [LoggerMessage(2023, LogLevel.Information, "Re-encrypting the credentials of {Count} provider setting(s) of custom provider {Provider} after its authentication_param changed")]
    private static partial void LogReclassifying(ILogger logger, int count, string provider);
}
