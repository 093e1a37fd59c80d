using Gateway.Functions.Caching;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline.Steps;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Pipeline;

internal static class PipelineServiceCollectionExtensions
{
    /// <summary>Adds <typeparamref name="TStep"/> to the request path at <paramref name="order"/> (see <see cref="ProxyStepOrder"/>).</summary>
    public static IServiceCollection AddProxyStep<TStep>(this IServiceCollection services, int order, bool alwaysRuns = false)
        where TStep : class, IProxyStep
    {
        services.AddSingleton<TStep>();
        services.AddSingleton(new ProxyStepRegistration(order, typeof(TStep), alwaysRuns));
        return services;
    }

    /// <summary>
    /// Today's steps, the pipeline that runs them, and the graceful stop. Call after the usage
    /// publisher is added: the stop marker must stop (reverse order) before the publisher flushes.
    /// </summary>
    public static IHostApplicationBuilder AddProxyPipeline(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProxyStep<AuthenticateStep>(ProxyStepOrder.Authenticate);
        services.AddProxyStep<AuthorizeStep>(ProxyStepOrder.Authorize);
        services.AddProxyStep<ReadBodyStep>(ProxyStepOrder.ReadBody);
        services.AddProxyStep<EndUserStep>(ProxyStepOrder.AuthorizeModelAndUser);
        services.AddProxyStep<LimitsStep>(ProxyStepOrder.Limits);
        builder.AddProxyCaching();
        services.AddProxyStep<AttemptsStep>(ProxyStepOrder.Attempts);
        services.AddProxyStep<ForwardStep>(ProxyStepOrder.Forward);
        services.AddProxyStep<UsageEventStep>(ProxyStepOrder.UsageEvent, alwaysRuns: true);
        services.AddSingleton<ProxyPipeline>();
        services.AddSingleton<ProxyShutdown>();
        services.AddHostedService(static sp => sp.GetRequiredService<ProxyShutdown>());

        // In-flight requests get Proxy__ShutdownGrace (ProxyShutdown cuts them then); the host's
        // own timeout adds room for the stop of what runs after Kestrel (the usage flush).
        services.AddOptions<HostOptions>().Configure<IOptions<ProxyOptions>>(static (host, proxy) =>
            host.ShutdownTimeout = proxy.Value.ShutdownGrace + ShutdownFlushAllowance);
        return builder;
    }

    /// <summary>What the host allows beyond the grace for the hosted services stopped after Kestrel.</summary>
    public static readonly TimeSpan ShutdownFlushAllowance = TimeSpan.FromSeconds(5);
}
