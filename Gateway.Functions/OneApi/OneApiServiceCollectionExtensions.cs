using Gateway.Functions.OneApi.ProviderKeys;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions.OneApi;

internal static class OneApiServiceCollectionExtensions
{
    /// <summary>
    /// The one OpenAI-format API at <c>/api/v1</c>: its entry adapter (route mapped by <c>MapProxy</c>),
    /// its two steps, and the gate that admits callers' own provider keys (<c>Proxy__AllowProviderKeys</c>).
    /// </summary>
    public static IHostApplicationBuilder AddOneApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProviderKeysOptions>().Bind(builder.Configuration.GetSection(ProviderKeysOptions.Section));
        builder.Services
            .AddSingleton<ProviderKeyGate>()
            .AddProviderAdapter<OneApiAdapter>()
            .AddProxyStep<OneApiResolveStep>(ProxyStepOrder.OneApiResolve)
            .AddProxyStep<OneApiAttemptsStep>(ProxyStepOrder.OneApiAttempts);
        return builder;
    }
}
