using Gateway.Domain.Hosting;
using Gateway.Domain.Routing;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Routing;

internal static class RoutingServiceCollectionExtensions
{
    /// <summary>Failover routes, health-aware rotation (<c>Rotation__*</c>) and custom providers.</summary>
    public static IHostApplicationBuilder AddGatewayRouting(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RotationOptions>().Bind(builder.Configuration.GetSection(RotationOptions.Section)).ValidateOnStart();
        services.AddSettingsValidator(RotationOptions.Section, new RotationOptionsValidator());
        services.AddSingleton<SettingHealth>();
        services.AddSingleton<WeightedRotation>();
        services.AddSingleton<RouteRetryPipelines>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<RouteAuthorizeStep>();
        services.AddSingleton<RouteAttemptsStep>();
        services.AddSingleton<RoutePipeline>();
        services.AddSingleton<CustomProviderAdapters>();
        return builder;
    }
}
