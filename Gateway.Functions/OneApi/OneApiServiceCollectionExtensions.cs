using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions.OneApi;

internal static class OneApiServiceCollectionExtensions
{
    /// <summary>The one OpenAI-format API at <c>/api/v1</c>: its entry adapter (route mapped by <c>MapProxy</c>) and its two steps.</summary>
    public static IHostApplicationBuilder AddOneApi(this IHostApplicationBuilder builder)
    {
        builder.Services
            .AddProviderAdapter<OneApiAdapter>()
            .AddProxyStep<OneApiResolveStep>(ProxyStepOrder.OneApiResolve)
            .AddProxyStep<OneApiAttemptsStep>(ProxyStepOrder.OneApiAttempts);
        return builder;
    }
}
