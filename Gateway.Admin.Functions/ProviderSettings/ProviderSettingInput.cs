using Gateway.Admin.Functions.Http;
using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.ProviderSettings;

/// <summary>
/// Validation of provider setting bodies into <see cref="ProviderSetting"/> changes. Credentials
/// are classified and encrypted by <see cref="SettingCredentials"/>, the one credential rule.
/// </summary>
internal sealed class ProviderSettingInput(GatewayDbContext db, SettingCredentials credentials, TimeProvider time)
{
    private const int MaxNameLength = 256;
    private const int MaxParameterNameLength = 128;
    private const int MaxParameterValueLength = 8192;
    private const int MaxModelLength = 256;

    public async Task<ProviderSetting?> CreateAsync(CreateProviderSettingRequest request, FieldErrors errors, CancellationToken ct)
    {
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
            CheckCompatibleName(errors, provider, name);
        }

        if (errors.Any)
        {
            return null;
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var entity = new ProviderSetting
        {
            Id = Guid.NewGuid().ToString(),
            Name = name,
            Provider = provider,
            AllowedModels = allowedModels,
            CostMap = costMap,
            CreatedAt = now,
            UpdatedAt = now,
        };
        credentials.Store(entity, setting, authenticationParam, wereSecret: []);
        return entity;
    }

    public async Task UpdateAsync(UpdateProviderSettingRequest request, ProviderSetting entity, FieldErrors errors, CancellationToken ct)
    {
        var changes = Parameters(errors, request.Setting);
        var name = request.Name is null ? null : errors.Optional("name", request.Name, MaxNameLength) ?? string.Empty;
        var allowedModels = errors.Strings("allowedModels", request.AllowedModels, MaxModelLength);
        var costMap = request.CostMap is null ? null : CostMapOf(errors, request.CostMap);
        if (name is not null)
        {
            CheckCompatibleName(errors, entity.Provider, name);
        }

        if (errors.Any)
        {
            return;
        }

        if (!credentials.TryReveal(entity, out var secrets))
        {
            errors.Refuse(context => AdminProblem.Create(context, StatusCodes.Status409Conflict, AdminProblem.Conflict, "credentials cannot be decrypted",
                $"the stored credentials of provider setting {entity.Id} cannot be decrypted with the configured Encryption__Key; create a new setting"));
            return;
        }

        if (changes is not null)
        {
            // Merge as BricksLLM does: given parameters replace stored ones.
            var merged = SettingCredentials.Merge(entity, secrets);
            foreach (var (parameter, value) in changes)
            {
                merged[parameter] = value;
            }

            var authenticationParam = BuiltInProviders.IsBuiltIn(entity.Provider)
                ? null
                : await db.CustomProviders.AsNoTracking().Where(p => p.Provider == entity.Provider).Select(p => p.AuthenticationParam).FirstOrDefaultAsync(ct);
            CheckRequired(errors, entity.Provider, authenticationParam, merged);
            if (errors.Any)
            {
                return;
            }

            credentials.Store(entity, merged, authenticationParam, secrets.Keys);
        }

        entity.Name = name ?? entity.Name;
        entity.AllowedModels = allowedModels ?? entity.AllowedModels;
        entity.CostMap = request.CostMap is null ? entity.CostMap : costMap;
        entity.UpdatedAt = time.GetUtcNow().ToUnixTimeSeconds();
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

    // An OpenAI-compatible setting is served at /api/providers/{name}/ and picked by "{name}/model" in
    // the one API: the name is a path segment and must not shadow a built-in provider's route.
    private static void CheckCompatibleName(FieldErrors errors, string provider, string name)
    {
        if (provider != BuiltInProviders.OpenAiCompatible)
        {
            return;
        }

        if (name.Length == 0 || name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') || name.StartsWith('.'))
        {
            errors.Add("name", "is required for provider openai-compatible: 1 to 64 letters, digits, '-', '_' or '.', e.g. groq (served at /api/providers/groq/)");
        }
        else if (BuiltInProviders.IsBuiltIn(name.ToLowerInvariant()))
        {
            errors.Add("name", $"'{name}' is a built-in provider's path; choose another name");
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
