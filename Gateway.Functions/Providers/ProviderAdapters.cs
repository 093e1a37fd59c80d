using System.Collections.Frozen;

namespace Gateway.Functions.Providers;

/// <summary>The registered adapters by provider name.</summary>
internal sealed class ProviderAdapters(IEnumerable<IProviderAdapter> adapters)
{
    private readonly FrozenDictionary<string, IProviderAdapter> _byName = adapters.ToFrozenDictionary(static a => a.Name, StringComparer.Ordinal);

    public IEnumerable<IProviderAdapter> All => _byName.Values;

    public bool TryGet(string name, out IProviderAdapter adapter) => _byName.TryGetValue(name, out adapter!);
}
