using System.Text.Json;
using Gateway.Admin.Functions.Http;
using Gateway.Admin.Functions.Limits;
using Gateway.Domain.Config;
using Gateway.Domain.Limits;
using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Route = Gateway.Domain.Routing.Route;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.FailoverRoutes;

/// <summary>
/// <c>/api/routes</c>: failover routes (ordered provider steps with retries, optional response
/// cache), stored and validated here; the proxy serves them at <c>/api/routes{path}</c>.
/// </summary>
internal static class RouteEndpoints
{
    private const int MaxNameLength = 256;
    private const int MaxPathLength = 512;
    private const int MaxRetries = 10;
    private static readonly TimeSpan MaxCacheTtl = TimeSpan.FromHours(720);
    private static readonly string[] StepProviders = [BuiltInProviders.OpenAi, BuiltInProviders.Azure];
    private static readonly HashSet<string> NumberParams = new(StringComparer.Ordinal)
    {
        "frequency_penalty", "max_tokens", "temperature", "top_p", "n", "presence_penalty", "seed", "top_logprobs",
    };

    public static IEndpointRouteBuilder MapFailoverRoutes(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var routes = endpoints.MapGroup("/api/routes").WithTags("Routes").ProducesAdminProblems();
        routes.MapPost(string.Empty, CreateAsync)
            .Accepts<CreateRouteRequest>("application/json")
            .WithSummary("Create a route")
            .WithDescription("`name`, a unique `path`, `keyIds` (existing keys whose provider settings cover every step's provider) and `steps` are required. Steps use `openai` or `azure` (azure needs `params.deploymentId` and `params.apiVersion`). Defaults: step `timeout` 5m; cache `ttl` 168h when caching is enabled (at most 720h).");
        routes.MapGet(string.Empty, ListAsync).WithSummary("List routes");
        routes.MapGet("/{id}", GetAsync).WithSummary("Get a route").ProducesProblem(StatusCodes.Status404NotFound);
        routes.MapDelete("/{id}", DeleteAsync).WithSummary("Delete a route").ProducesProblem(StatusCodes.Status404NotFound);
        return endpoints;
    }

    internal static async Task<Results<Ok<RouteResponse>, ProblemHttpResult>> CreateAsync(
        HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, TimeProvider time, ILoggerFactory loggers)
    {
        var body = await AdminJsonBody.ReadAsync(context, AdminJsonContext.Default.CreateRouteRequest);
        if (body.Problem is { } bad)
        {
            return bad;
        }

        var request = body.Value!;
        var errors = new FieldErrors();
        var name = errors.Required("name", request.Name, MaxNameLength);
        var path = errors.Required("path", request.Path, MaxPathLength);
        if (path.Length > 0 && (!path.StartsWith('/') || path.Any(char.IsWhiteSpace) || path.Contains('?', StringComparison.Ordinal) || path.Contains('#', StringComparison.Ordinal)))
        {
            errors.Add("path", "must start with / and contain no spaces, ? or #, e.g. /production/chat");
        }

        var keyIds = errors.Strings("keyIds", request.KeyIds, KeyManagement.KeyEndpoints.MaxIdLength);
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
        var ct = context.RequestAborted;
        if (!errors.Any)
        {
            await CheckKeysAsync(db, keyIds!, steps, errors, ct);
            if (await db.Routes.AnyAsync(r => r.Path == path, ct))
            {
                errors.Add("path", $"is already used: a route at {path} exists");
            }
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var route = new Route
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
        db.Routes.Add(route);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException ex) when (DbErrors.IsUniqueViolation(ex))
        {
            errors.Add("path", $"is already used: a route at {path} exists");
            return errors.ToProblem(context);
        }

        if (await publisher.UpsertAsync(context, route) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.RouteCreated(loggers.CreateLogger(typeof(RouteEndpoints)), route.Id, route.Path);
        return TypedResults.Ok(RouteResponse.From(route));
    }

    internal static async Task<Ok<List<RouteResponse>>> ListAsync(HttpContext context, GatewayDbContext db)
    {
        var routes = await db.Routes.AsNoTracking().OrderBy(r => r.CreatedAt).ThenBy(r => r.Id).ToListAsync(context.RequestAborted);
        return TypedResults.Ok(routes.ConvertAll(RouteResponse.From));
    }

    internal static async Task<Results<Ok<RouteResponse>, ProblemHttpResult>> GetAsync(string id, HttpContext context, GatewayDbContext db)
    {
        var route = AdminQuery.IsLookupable(id) ? await db.Routes.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, context.RequestAborted) : null;
        return route is null ? NotFound(context, id) : TypedResults.Ok(RouteResponse.From(route));
    }

    internal static async Task<Results<Ok, ProblemHttpResult>> DeleteAsync(
        string id, HttpContext context, GatewayDbContext db, ConfigCachePublisher publisher, ILoggerFactory loggers)
    {
        var deleted = AdminQuery.IsLookupable(id) ? await db.Routes.Where(r => r.Id == id).ExecuteDeleteAsync(context.RequestAborted) : 0;
        if (deleted == 0)
        {
            return NotFound(context, id);
        }

        if (await publisher.RemoveAsync(context, ConfigEntityKind.Route, id) is { } notPropagated)
        {
            return notPropagated;
        }

        ManagementLog.RouteDeleted(loggers.CreateLogger(typeof(RouteEndpoints)), id);
        return TypedResults.Ok();
    }

    private static ProblemHttpResult NotFound(HttpContext context, string id)
        => AdminProblem.NotFoundResult(context, $"route {id} is not found", AdminProblem.RouteNotFound);

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
                errors.Add($"{field}.provider", "must be openai or azure");
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
    private static async Task CheckKeysAsync(GatewayDbContext db, List<string> keyIds, List<RouteStep> steps, FieldErrors errors, CancellationToken ct)
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
