using Gateway.Domain.Usage.Publishing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Usage.Transport;

public static class UsageTransportServiceCollectionExtensions
{
    /// <summary>
    /// The usage queue chosen by <c>UsageTransport</c> (Storage queue by default, or Service Bus): the
    /// <see cref="IUsageEventTransport"/> the proxy's publisher sends to, and the clients and claim-check
    /// store the ingest app reads with. Settings are validated at startup, naming the setting.
    /// </summary>
    public static IServiceCollection AddGatewayUsageTransport(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<UsageTransportOptions>().Configure(o => o.Bind(configuration)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<UsageTransportOptions>, UsageTransportOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UsageQueueClients>();
        services.TryAddSingleton<UsageClaimCheckStore>();
        services.TryAddSingleton(static sp => new UsageBatchEncoder(sp.GetRequiredService<UsageClaimCheckStore>(), sp.GetRequiredService<IOptions<UsageTransportOptions>>().Value.CompressionKind));
        services.TryAddSingleton<IUsageEventTransport>(static sp => sp.GetRequiredService<UsageQueueClients>().Kind switch
        {
            UsageTransportKind.ServiceBus => ActivatorUtilities.CreateInstance<ServiceBusUsageTransport>(sp, sp.GetRequiredService<UsageQueueClients>().ServiceBusSender),
            _ => ActivatorUtilities.CreateInstance<StorageQueueUsageTransport>(sp),
        });
        return services;
    }
}
