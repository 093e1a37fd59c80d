using System.Collections.Frozen;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Gateway.Domain.Users;

namespace Gateway.Domain.Config;

/// <summary>
/// An immutable, indexed copy of the configuration: what the proxy authenticates and routes
/// against without any network call. Replaced whole on every reload.
/// </summary>
public sealed class ConfigSnapshot
{
    private ConfigSnapshot(long version, ConfigData data)
    {
        Version = version;
        Data = data;
        KeysById = data.Keys.ToFrozenDictionary(k => k.KeyId, StringComparer.Ordinal);
        var byHash = new Dictionary<ApiKeyHash, ApiKey>();
        foreach (var key in data.Keys)
        {
            if (ApiKeyHash.TryParseHex(key.KeyHash, out var hash))
            {
                byHash[hash] = key;
            }
        }

        KeysByHash = byHash.ToFrozenDictionary();
        ProviderSettings = data.ProviderSettings.ToFrozenDictionary(s => s.Id, StringComparer.Ordinal);
        CustomProviders = data.CustomProviders.ToFrozenDictionary(p => p.Provider, StringComparer.Ordinal);
        RoutesByPath = data.Routes.ToFrozenDictionary(r => r.Path, StringComparer.Ordinal);
        UsersById = data.Users.ToFrozenDictionary(u => u.Id, StringComparer.Ordinal);
        UsersByUserId = data.Users.GroupBy(u => u.UserId, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => (IReadOnlyList<User>)[.. g], StringComparer.Ordinal);
    }

    public static ConfigSnapshot Empty { get; } = new(0, ConfigData.Empty);

    /// <summary>The Redis config cache version this copy was read at; 0 before the first load.</summary>
    public long Version { get; }

    public ConfigData Data { get; }

    public FrozenDictionary<ApiKeyHash, ApiKey> KeysByHash { get; }

    public FrozenDictionary<string, ApiKey> KeysById { get; }

    public FrozenDictionary<string, ProviderSetting> ProviderSettings { get; }

    /// <summary>By provider name.</summary>
    public FrozenDictionary<string, CustomProvider> CustomProviders { get; }

    public FrozenDictionary<string, Route> RoutesByPath { get; }

    public FrozenDictionary<string, User> UsersById { get; }

    /// <summary>By the id clients send; several users can share one, told apart by their tags.</summary>
    public FrozenDictionary<string, IReadOnlyList<User>> UsersByUserId { get; }

    public static ConfigSnapshot Create(long version, ConfigData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ConfigSnapshot(version, data);
    }
}
