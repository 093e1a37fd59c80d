using Gateway.Domain.Hosting;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Domain.Usage.Publishing;

public static class UsagePublishingServiceCollectionExtensions
{
    /// <summary>
    /// The non-blocking publisher (a hosted service and the <see cref="IUsageEventPublisher"/>).
    /// The transport it sends to must be registered too (see the usage transports).
    /// </summary>
    public static IServiceCollection AddGatewayUsagePublisher(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<UsagePublisherOptions>().Bind(configuration.GetSection(UsagePublisherOptions.Section)).ValidateOnStart()
            .PostConfigure(o =>
            {
                // Not set: one folder per queue name (see DefaultSpillFolder).
                if (string.IsNullOrWhiteSpace(configuration[UsagePublisherOptions.Section + ":" + nameof(UsagePublisherOptions.SpillFolder)]))
                {
                    o.SpillFolder = UsagePublisherOptions.DefaultSpillFolder(configuration[UsageTransportOptions.QueueNameSetting]);
                }
            });
        services.AddSettingsValidator(UsagePublisherOptions.Section, new UsagePublisherOptionsValidator());
        services.AddMetrics();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UsageEventPublisher>();
        services.TryAddSingleton<IUsageEventPublisher>(sp => sp.GetRequiredService<UsageEventPublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<UsageEventPublisher>());
        return services;
    }
}
