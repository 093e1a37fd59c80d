using Gateway.Domain.Caching;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Caching;

internal static class CachingServiceCollectionExtensions
{
    /// <summary>The response cache: its Redis store and options, the lookup step before the attempts, the store step after forward.</summary>
    public static IHostApplicationBuilder AddProxyCaching(this IHostApplicationBuilder builder)
    {
        builder.Services.AddGatewayResponseCache(builder.Configuration);
        builder.Services.AddProxyStep<CacheStep>(ProxyStepOrder.Cache);
        builder.Services.AddProxyStep<CacheStoreStep>(CacheStoreStep.Order);
        return builder;
    }
}
