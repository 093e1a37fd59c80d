using Gateway.Admin.Functions.CustomProviders;
using Gateway.Admin.Functions.EndUsers;
using Gateway.Admin.Functions.FailoverRoutes;
using Gateway.Admin.Functions.KeyManagement;
using Gateway.Admin.Functions.ProviderSettings;
using Gateway.Domain.Persistence;
using Gateway.Domain.Providers;

namespace Gateway.Admin.Functions.Http;

internal static class ManagementApiExtensions
{
    /// <summary>
    /// What the management endpoints (keys, provider settings, custom providers, routes, users)
    /// need: credential encryption (<c>Encryption__Key</c>, checked at startup), the one write path
    /// (<see cref="ConfigEntityStore"/>: PostgreSQL, then the config cache), each feature's input
    /// validation, and their source-generated JSON.
    /// </summary>
    public static IHostApplicationBuilder AddManagementApi(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddGatewayCredentialProtection(builder.Configuration);
        builder.Services.AddScoped<ConfigEntityStore>();
        builder.Services.AddScoped<KeyInput>();
        builder.Services.AddScoped<UserInput>();
        builder.Services.AddScoped<ProviderSettingInput>();
        builder.Services.AddScoped<CustomProviderInput>();
        builder.Services.AddScoped<RouteInput>();
        builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, AdminJsonContext.Default));
        return builder;
    }
}
