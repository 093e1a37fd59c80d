using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Providers;

internal static class ProvidersServiceCollectionExtensions
{
    /// <summary>Registers a provider: its route is mapped and its settings are served.</summary>
    public static IServiceCollection AddProviderAdapter<TAdapter>(this IServiceCollection services)
        where TAdapter : class, IProviderAdapter
    {
        services.AddSingleton<IProviderAdapter, TAdapter>();
        return services;
    }

    public static IHostApplicationBuilder AddProviderAdapters(this IHostApplicationBuilder builder)
    {
        builder.Services
            .AddProviderAdapter<OpenAiAdapter>()
            .AddProviderAdapter<AzureOpenAiAdapter>()
            .AddProviderAdapter<AnthropicAdapter>()
            .AddProviderAdapter<VllmAdapter>()
            .AddProviderAdapter<DeepInfraAdapter>()
            .AddProviderAdapter<OpenAiCompatibleAdapter>()
            .AddProviderAdapter<BedrockAdapter>()
            .AddProxyStep<BedrockNativeStep>(BedrockNativeStep.Order);
        builder.Services.AddSingleton<ProviderAdapters>();
        return builder;
    }
}
