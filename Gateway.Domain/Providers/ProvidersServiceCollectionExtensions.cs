using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Providers;

public static class ProvidersServiceCollectionExtensions
{
    /// <summary>Registers <see cref="CredentialProtector"/> on <c>Encryption__Key</c>, validated at startup, and the <see cref="SettingCredentials"/> rule.</summary>
    public static IServiceCollection AddGatewayCredentialProtection(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EncryptionOptions>().Bind(configuration.GetSection(EncryptionOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EncryptionOptions>, EncryptionOptionsValidator>());
        services.TryAddSingleton<CredentialProtector>();
        services.TryAddSingleton<SettingCredentials>();
        return services;
    }
}
