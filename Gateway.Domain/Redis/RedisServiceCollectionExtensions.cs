using Gateway.Domain.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Domain.Redis;

public static class RedisServiceCollectionExtensions
{
    /// <summary>Registers the shared <see cref="RedisConnection"/> on <c>ConnectionStrings__Redis</c>.</summary>
    public static IServiceCollection AddGatewayRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>()
            .Bind(configuration.GetSection(RedisOptions.Section))
            .Configure(o => o.ConnectionString = configuration.GetConnectionString("Redis") ?? o.ConnectionString)
            .ValidateOnStart();
        services.AddSettingsValidator(RedisOptions.Section, new RedisOptionsValidator(), new Dictionary<string, string> { ["ConnectionString"] = "ConnectionStrings__Redis" });
        services.AddSingleton<RedisConnection>();
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return services;
    }
}
