using System.Text.Json;
using Gateway.Admin.Functions.Http;
using Gateway.Admin.Functions.KeyManagement;
using Gateway.Admin.Functions.Limits;
using Gateway.Domain.Limits;
using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Microsoft.EntityFrameworkCore;
using Route = Gateway.Domain.Routing.Route;

namespace Gateway.Admin.Functions.FailoverRoutes;

/// <summary>Validation of a route body into a <see cref="Route"/>: steps, retries, cache, and keys that cover every step's provider.</summary>
internal sealed class RouteInput(GatewayDbContext db, TimeProvider time)
{
    private const int MaxNameLength = 256;
    private const int MaxPathLength = 512;
    private const int MaxRetries = 10;
    private static readonly TimeSpan MaxCacheTtl = TimeSpan.FromHours(720);

    // The proxy sends a route's OpenAI-format body as is, so a step's provider must speak it.
    private static readonly string[] StepProviders = [BuiltInProviders.OpenAi, BuiltInProviders.Azure, BuiltInProviders.Vllm, BuiltInProviders.DeepInfra, BuiltInProviders.Anthropic, BuiltInProviders.Bedrock];
    private static readonly HashSet<string> NumberParams = new(StringComparer.Ordinal)
    {
        "frequency_penalty", "max_tokens", "temperature", "top_p", "n", "presence_penalty", "seed", "top_logprobs",
    };

    public static string DuplicatePathMessage(string path) => $"is already used: a route at {path} exists";

    public async Task<Route?> CreateAsync(CreateRouteRequest request, FieldErrors errors, CancellationToken ct)
    {
        var name = errors.Required("name", request.Name, MaxNameLength);
        var path = errors.Required("path", request.Path, MaxPathLength);
        if (path.Length > 0 && (!path.StartsWith('/') || path.Any(char.IsWhiteSpace) || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal)))
        {
            errors.Add("path", "must start with / and contain no spaces, ? or #, e.g. /production/chat");
        }

        var keyIds = errors.Strings("keyIds", request.KeyIds, KeyInput.MaxIdLength);
        if (keyIds is null or { Count: 0 })
        {
            errors.Add("keyIds", "is required: the keys that may call this route");
        }

        var retryStrategy = errors.Optional("retryStrategy", request.RetryStrategy, 32);
        if (retryStrategy is not null and not "exponential" and not "constant")
        {
            errors.Add("retryStrategy", "must be exponential or constant");
        }

        var requestFormat = errors.Optional("requestFormat", request.RequestFormat, 64);
        if (requestFormat is not null and not "openai_embeddings")
        {
            errors.Add("requestFormat", "must be openai_embeddings, or empty for chat completions");
        }

        var cache = CacheConfig(errors, request.CacheConfig);
        var steps = Steps(errors, request.Steps);
        if (!errors.Any)
        {
            await CheckKeysAsync(keyIds!, steps, errors, ct);
            if (await db.Routes.AnyAsync(r => r.Path == path, ct))
            {
                errors.Add("path", DuplicatePathMessage(path));
            }
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        return errors.Any ? null : new Route
        {
            Id = Guid.NewGuid().ToString(),
            Name = name,
            Path = path,
            KeyIds = keyIds!,
            RetryStrategy = retryStrategy,
            RequestFormat = requestFormat,
            CacheConfig = cache,
            Steps = steps,
            CreatedAt = now,
            UpdatedAt = now,
        };
    }

    private static RouteCacheConfig CacheConfig(FieldErrors errors, RouteCacheConfigItem? item)
    {
        var enabled = item?.Enabled ?? false;
        var ttl = LimitFields.Ttl(errors, item?.Ttl, "cacheConfig.ttl");
        if (ttl is not null && GoDuration.TryParse(ttl, out var duration) && duration > MaxCacheTtl)
        {
            errors.Add("cacheConfig.ttl", "must be at most 720h (30 days)");
        }

        return new RouteCacheConfig { Enabled = enabled, Ttl = enabled ? ttl ?? "168h" : ttl };
    }

    private static List<RouteStep> Steps(FieldErrors errors, List<RouteStepItem?>? items)
    {
        if (items is null || items.Count == 0)
        {
            errors.Add("steps", "is required: at least one {provider, model}");
            return [];
        }

        var steps = new List<RouteStep>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var field = $"steps[{i}]";
            var item = items[i];
            if (item is null)
            {
                errors.Add(field, "must be an object");
                continue;
            }

            var provider = errors.Required($"{field}.provider", item.Provider, 32);
            if (provider.Length > 0 && !StepProviders.Contains(provider, StringComparer.Ordinal))
            {
                errors.Add($"{field}.provider", BuiltInProviders.IsBuiltIn(provider)
                    ? $"{provider} cannot serve a route step yet; use openai, azure, vllm, deepinfra, anthropic or bedrock (translated from the OpenAI format)"
                    : "must be openai, azure, vllm, deepinfra, anthropic or bedrock");
            }

            var model = errors.Required($"{field}.model", item.Model, 256);
            if (item.Retries is < 0 or > MaxRetries)
            {
                errors.Add($"{field}.retries", $"must be between 0 and {MaxRetries}");
            }

            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in item.Params ?? [])
            {
                if (value is null || value.Length > 256)
                {
                    errors.Add($"{field}.params.{name}", "must be a string of at most 256 characters");
                    continue;
                }

                parameters[name] = value;
            }

            if (provider == BuiltInProviders.Azure)
            {
                foreach (var required in new[] { "deploymentId", "apiVersion" })
                {
                    if (!parameters.TryGetValue(required, out var value) || string.IsNullOrWhiteSpace(value))
                    {
                        errors.Add($"{field}.params.{required}", "is required for azure");
                    }
                }
            }

            var requestParams = item.RequestParams ?? [];
            foreach (var (name, value) in requestParams)
            {
                CheckRequestParam(errors, $"{field}.requestParams.{name}", name, value);
            }

            steps.Add(new RouteStep
            {
                Provider = provider,
                Model = model,
                Retries = item.Retries ?? 0,
                RetryInterval = LimitFields.Ttl(errors, item.RetryInterval, $"{field}.retryInterval"),
                Timeout = LimitFields.Ttl(errors, item.Timeout, $"{field}.timeout") ?? "5m",
                Params = parameters,
                RequestParams = requestParams.ToDictionary(p => p.Key, p => p.Value.Clone(), StringComparer.Ordinal),
            });
        }

        return steps;
    }

    /// <summary>The OpenAI request fields BricksLLM lets a step overwrite, with the JSON types OpenAI accepts.</summary>
    private static void CheckRequestParam(FieldErrors errors, string field, string name, JsonElement value)
    {
        var valid = name switch
        {
            _ when NumberParams.Contains(name) => value.ValueKind == JsonValueKind.Number,
            "logprobs" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "stop" => value.ValueKind == JsonValueKind.String
                || (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0 && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)),
            "logit_bias" => value.ValueKind == JsonValueKind.Object && value.EnumerateObject().All(p => p.Value.ValueKind == JsonValueKind.Number),
            _ => false,
        };
        if (valid)
        {
            return;
        }

        errors.Add(field, name switch
        {
            _ when NumberParams.Contains(name) => "must be a number",
            "logprobs" => "must be true or false",
            "stop" => "must be a string or a non-empty array of strings",
            "logit_bias" => "must be an object of numbers",
            _ => $"is not a supported request parameter ({string.Join(", ", NumberParams.Order(StringComparer.Ordinal))}, logprobs, stop, logit_bias)",
        });
    }

    /// <summary>Every key exists and has a provider setting for every provider the steps use (BricksLLM's ValidateSettings).</summary>
    private async Task CheckKeysAsync(List<string> keyIds, List<RouteStep> steps, FieldErrors errors, CancellationToken ct)
    {
        var keys = await db.Keys.AsNoTracking().Where(k => keyIds.Contains(k.KeyId)).Select(k => new { k.KeyId, k.SettingIds }).ToListAsync(ct);
        foreach (var missing in keyIds.Except(keys.Select(k => k.KeyId), StringComparer.Ordinal))
        {
            errors.Add("keyIds", $"contains '{missing}', which is not a key id");
        }

        var settingIds = keys.SelectMany(k => k.SettingIds).Distinct().ToList();
        var providersBySetting = await db.ProviderSettings.AsNoTracking().Where(s => settingIds.Contains(s.Id))
            .ToDictionaryAsync(s => s.Id, s => s.Provider, StringComparer.Ordinal, ct);
        var needed = steps.Select(s => s.Provider).Distinct(StringComparer.Ordinal).ToList();
        foreach (var key in keys)
        {
            var has = key.SettingIds.Select(id => providersBySetting.GetValueOrDefault(id)).ToHashSet(StringComparer.Ordinal);
            foreach (var provider in needed.Where(p => !has.Contains(p)))
            {
                errors.Add("keyIds", $"contains key '{key.KeyId}', which has no {provider} provider setting for the steps that use {provider}");
            }
        }
    }
}
