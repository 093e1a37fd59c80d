using Gateway.Domain.Limits;
using Gateway.Domain.Providers;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Forwarding;

internal static class ForwardingServiceCollectionExtensions
{
    /// <summary>The forward path: options, the upstream client, limits and the handler.</summary>
    public static WebApplicationBuilder AddGatewayForwarding(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ProxyOptions>().Bind(builder.Configuration.GetSection(ProxyOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        builder.Services.AddOptions<UpstreamOptions>().Bind(builder.Configuration.GetSection(UpstreamOptions.Section)).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<UpstreamOptions>, UpstreamOptionsValidator>();
        builder.Services.AddGatewayLimits();
        builder.Services.AddSingleton<UpstreamClient>();
        builder.Services.AddGatewayCredentialProtection(builder.Configuration);
        builder.Services.AddSingleton<IProviderSecrets, ProviderSecretsCache>();
        builder.Services.AddSingleton<ProxyHandler>();
        return builder;
    }
}
