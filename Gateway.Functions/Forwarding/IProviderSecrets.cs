using Gateway.Domain.Providers;

namespace Gateway.Functions.Forwarding;

/// <summary>The decrypted secret parameters (<c>apikey</c>, ...) of a provider setting.</summary>
internal interface IProviderSecrets
{
    IReadOnlyDictionary<string, string> Get(ProviderSetting setting);
}
