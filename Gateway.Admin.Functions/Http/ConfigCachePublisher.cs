using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Route = Gateway.Domain.Routing.Route;
using Gateway.Domain.Users;
using Microsoft.AspNetCore.Http.HttpResults;
using StackExchange.Redis;

namespace Gateway.Admin.Functions.Http;

/// <summary>
/// The second half of every management write: PostgreSQL first (the source of truth), then the
/// Redis config cache plus an invalidation, which running proxies apply within a round trip.
/// </summary>
/// <remarks>
/// When Redis fails after the commit, the change is not lost: the ingest app's refresh rebuilds
/// the cache from PostgreSQL. The caller still gets a 503 rather than a 200, because a revocation
/// that proxies do not see yet must not look done.
/// </remarks>
internal sealed class ConfigCachePublisher(ConfigCacheWriter writer, ILogger<ConfigCachePublisher> logger)
{
    public const string ProblemType = "/errors/config-cache";

    public Task<ProblemHttpResult?> UpsertAsync(HttpContext context, ApiKey key)
        => RunAsync(context, ConfigEntityKind.Key, key.KeyId, () => writer.UpsertAsync(key));

    public Task<ProblemHttpResult?> UpsertAsync(HttpContext context, ProviderSetting setting)
        => RunAsync(context, ConfigEntityKind.ProviderSetting, setting.Id, () => writer.UpsertAsync(setting));

    public Task<ProblemHttpResult?> UpsertAsync(HttpContext context, CustomProvider provider)
        => RunAsync(context, ConfigEntityKind.CustomProvider, provider.Id, () => writer.UpsertAsync(provider));

    public Task<ProblemHttpResult?> UpsertAsync(HttpContext context, Route route)
        => RunAsync(context, ConfigEntityKind.Route, route.Id, () => writer.UpsertAsync(route));

    public Task<ProblemHttpResult?> UpsertAsync(HttpContext context, User user)
        => RunAsync(context, ConfigEntityKind.User, user.Id, () => writer.UpsertAsync(user));

    public Task<ProblemHttpResult?> RemoveAsync(HttpContext context, ConfigEntityKind kind, string id)
        => RunAsync(context, kind, id, () => writer.RemoveAsync(kind, id));

    private async Task<ProblemHttpResult?> RunAsync(HttpContext context, ConfigEntityKind kind, string id, Func<Task> write)
    {
        try
        {
            await write();
            return null;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            ManagementLog.ConfigCacheWriteFailed(logger, kind, id, ex);
            return AdminProblem.Create(
                context,
                StatusCodes.Status503ServiceUnavailable,
                ProblemType,
                "saved, not yet propagated",
                $"the change to {kind} {id} is saved in PostgreSQL, but the Redis config cache could not be updated; proxies will see it after the next config refresh");
        }
    }
}
