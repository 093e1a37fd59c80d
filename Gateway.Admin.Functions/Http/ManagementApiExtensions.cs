using Gateway.Domain.Providers;

namespace Gateway.Admin.Functions.Http;

internal static class ManagementApiExtensions
{
    /// <summary>
    /// What the management endpoints (keys, provider settings, custom providers, routes, users)
    /// need: credential encryption (<c>Encryption__Key</c>, checked at startup), the config cache
    /// write-through, and their source-generated JSON.
    /// </summary>
    public static WebApplicationBuilder AddManagementApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGatewayCredentialProtection(builder.Configuration);
        builder.Services.AddSingleton<ConfigCachePublisher>();
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        return builder;
    }
}
