using Gateway.Domain.Config;

namespace Gateway.Domain.Keys;

/// <summary>Looks keys up in the in-memory snapshot only.</summary>
public sealed class SnapshotApiKeyStore(ConfigSnapshotHolder config) : IApiKeyStore
{
    public ValueTask<KeyLookup> LookupAsync(ApiKeyHash hash, CancellationToken cancellationToken)
    {
        var snapshot = config.Current;
        return ValueTask.FromResult(new KeyLookup(snapshot.KeysByHash.GetValueOrDefault(hash), snapshot));
    }
}
