using Gateway.Domain.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Domain.Caching;

public static class CachingServiceCollectionExtensions
{
    /// <summary>The response cache's options (section <c>Cache</c>, <c>ConnectionStrings__RedisCache</c>), metrics and Redis store.</summary>
    public static IServiceCollection AddGatewayResponseCache(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ResponseCacheOptions>()
            .Bind(configuration.GetSection(ResponseCacheOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("RedisCache") ?? o.ConnectionString)
            .ValidateOnStart();
        services.AddSettingsValidator(ResponseCacheOptions.Section, new ResponseCacheOptionsValidator(), new Dictionary<string, string> { ["ConnectionString"] = "ConnectionStrings__RedisCache" });
        services.AddMetrics();
        services.AddSingleton<ResponseCacheMetrics>();
        services.AddSingleton<ResponseCacheStore>();
        return services;
    }
}
