using System.Runtime.CompilerServices;
using Gateway.Domain.Config;
using Gateway.Domain.Providers;

namespace Gateway.Functions.Providers;

/// <summary>
/// The adapters of the stored custom providers, built once per <see cref="CustomProvider"/>
/// object of the config snapshot: a changed provider is a new object, so it gets a new adapter.
/// </summary>
internal sealed class CustomProviderAdapters(ConfigSnapshotHolder config)
{
    private readonly ConditionalWeakTable<CustomProvider, CustomProviderAdapter> _adapters = [];

    /// <summary>The adapter serving <paramref name="path"/> of <paramref name="provider"/>, or null when either is unknown.</summary>
    public CustomProviderAdapter? Find(string provider, string path)
        => config.Current.CustomProviders.TryGetValue(provider, out var stored)
            ? _adapters.GetValue(stored, static p => new CustomProviderAdapter(p)).ForPath(path)
            : null;
}
