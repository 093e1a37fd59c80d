using Gateway.Domain.Hosting;
using Gateway.Domain.Limits;
using Gateway.Domain.Providers;

namespace Gateway.Functions.Forwarding;

internal static class ForwardingServiceCollectionExtensions
{
    /// <summary>The forward path: options, the upstream client and forwarder, limits, credentials.</summary>
    public static IHostApplicationBuilder AddGatewayForwarding(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyOptions>().Bind(builder.Configuration.GetSection(ProxyOptions.Section)).ValidateOnStart();
        builder.Services.AddSettingsValidator(ProxyOptions.Section, new ProxyOptionsValidator());
        builder.Services.AddOptions<UpstreamOptions>().Bind(builder.Configuration.GetSection(UpstreamOptions.Section)).ValidateOnStart();
        builder.Services.AddSettingsValidator(UpstreamOptions.Section, new UpstreamOptionsValidator());
        builder.Services.AddGatewayLimits();
        builder.Services.AddSingleton<UpstreamClient>();
        builder.Services.AddGatewayCredentialProtection(builder.Configuration);
        builder.Services.AddSingleton<IProviderSecrets, ProviderSecretsCache>();
        builder.Services.AddSingleton<ProxyForwarder>();
        return builder;
    }
}
