using Gateway.Domain.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Domain.Limits;

public static class LimitsServiceCollectionExtensions
{
    /// <summary>The Redis limiter and its per-instance fallback (needs <c>AddGatewayRedis</c>).</summary>
    public static IServiceCollection AddGatewayLimits(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LimitsRedisOptions>().BindConfiguration(LimitsRedisOptions.Section).ValidateOnStart();
        services.AddSettingsValidator(LimitsRedisOptions.Section, new LimitsRedisOptionsValidator());
        services.TryAddSingleton<RedisLimitGuard>();
        services.TryAddSingleton<LocalRateLimiter>();
        services.TryAddSingleton<RedisLimiter>();
        return services;
    }
}
