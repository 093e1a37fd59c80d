using Gateway.Domain.Usage.Costing;
using Gateway.Domain.Usage.Spend;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Domain.Usage.Ingest;

public static class UsageIngestServiceCollectionExtensions
{
    /// <summary>
    /// What the ingest app needs to store and charge usage events: the queue clients, costing, the
    /// ledger, the spend counters and the refresh's counter rebuild. PostgreSQL (its
    /// <c>NpgsqlDataSource</c>, shared with EF Core) and Redis must be registered too
    /// (<c>AddGatewayPersistence</c>, <c>AddGatewayRedis</c>).
    /// </summary>
    public static IServiceCollection AddGatewayUsageIngest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddGatewayUsageTransport(configuration);
        services.AddGatewayCosting(configuration);
        services.AddMemoryCache();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<UsageEventStore>();
        services.TryAddSingleton<UsageLookups>();
        services.TryAddSingleton<UsageIngestMetrics>();
        services.TryAddSingleton<UsagePoisonStore>();
        services.TryAddSingleton<SpendApplier>();
        services.TryAddSingleton<SpendLedger>();
        services.TryAddSingleton<UsageIngestor>();
        services.TryAddScoped<SpendCounterRebuilder>();
        return services;
    }
}
