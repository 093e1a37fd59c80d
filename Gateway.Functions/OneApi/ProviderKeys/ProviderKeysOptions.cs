using Gateway.Domain.Caching;

namespace Gateway.Functions.OneApi.ProviderKeys;

/// <summary>
/// Callers' own provider keys on the one API: <c>Proxy__AllowProviderKeys</c>,
/// <c>Proxy__ProviderKeysCacheMode</c>. Off by default; the risks are in the README
/// ("Provider keys directly").
/// </summary>
internal sealed class ProviderKeysOptions
{
    public const string Section = "Proxy";

    /// <summary>
    /// A <c>/api/v1/...</c> request whose bearer is definitely not a gateway key is forwarded with
    /// that bearer to the provider its model resolves to (OpenAI or Anthropic), without limits.
    /// </summary>
    public bool AllowProviderKeys { get; set; }

    /// <summary>The response cache mode of provider-key calls when the request sends no <c>x-bt-use-cache</c>: what a key's <c>cacheMode</c> is for gateway keys.</summary>
    public CacheMode ProviderKeysCacheMode { get; set; } = CacheMode.Auto;
}
