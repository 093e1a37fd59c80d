using Gateway.Domain.Providers;

namespace Gateway.Functions.OneApi.ProviderKeys;

/// <summary>
/// A one-API caller that sent its own provider key instead of a gateway key. The key lives in
/// memory for this request only, as the credential the resolved provider's adapter applies
/// (OpenAI <c>Authorization: Bearer</c>, Anthropic <c>x-api-key</c>); it is never stored or logged.
/// </summary>
internal sealed class ProviderKeyCaller(string providerKey, string provider)
{
    /// <summary>The provider the key's shape names (<see cref="ProviderKeyProviders.ProviderOf"/>): the only one it is sent to.</summary>
    public string Provider { get; } = provider;

    /// <summary>In the shape of a setting's decrypted secrets, so the adapter applies it as it would a setting's <c>apikey</c>.</summary>
    public IReadOnlyDictionary<string, string> Credentials { get; } = new Dictionary<string, string>(1) { [ProviderCredentials.ApiKey] = providerKey };

    public override string ToString() => "ProviderKeyCaller(redacted)";
}
