using Gateway.Domain.Hosting;
using Gateway.Domain.Keys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Domain.Config;

public static class ConfigServiceCollectionExtensions
{
    /// <summary>For apps that write configuration (admin) or rebuild it (ingest).</summary>
    public static IServiceCollection AddGatewayConfigCacheWriter(this IServiceCollection services)
    {
        services.TryAddSingleton<ConfigCacheWriter>();
        services.TryAddScoped<ConfigCacheRefresher>();
        return services;
    }

    /// <summary>For the proxy: the in-memory snapshot and the service that keeps it fresh.</summary>
    public static IServiceCollection AddGatewayConfigSnapshot(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConfigCacheOptions>().Bind(configuration.GetSection(ConfigCacheOptions.Section)).ValidateOnStart();
        services.AddSettingsValidator(ConfigCacheOptions.Section, new ConfigCacheOptionsValidator());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ConfigSnapshotHolder>();
        services.TryAddSingleton<ConfigCacheReader>();
        services.TryAddSingleton<ConfigSyncService>();
        services.AddOptions<KeyLookupOptions>().Bind(configuration.GetSection(KeyLookupOptions.Section)).ValidateOnStart();
        services.AddSettingsValidator(KeyLookupOptions.Section, new KeyLookupOptionsValidator());
        services.AddMetrics();
        services.TryAddSingleton<IApiKeyStore, CachedApiKeyStore>();
        services.AddHostedService(sp => sp.GetRequiredService<ConfigSyncService>());
        return services;
    }
}
