using System.Collections.Frozen;
using Gateway.Domain.Keys;
using Gateway.Domain.Privacy;
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
    private ConfigSnapshot(ConfigCacheStamp stamp, bool complete, ConfigData data)
    {
        Stamp = stamp;
        Complete = complete;
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
        PoliciesById = data.Policies.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
    }

    public static ConfigSnapshot Empty { get; } = new(default, complete: false, ConfigData.Empty);

    /// <summary>The Redis config cache version this copy was read at; 0 before the first load.</summary>
    public long Version => Stamp.Version;

    /// <summary>The version and generation of the Redis config cache this copy was read at.</summary>
    public ConfigCacheStamp Stamp { get; }

    /// <summary>
    /// Whether this copy holds every row: read from a rebuilt generation, or a partial generation
    /// laid over such a copy (see <see cref="ConfigSnapshotHolder.Apply"/>).
    /// </summary>
    public bool Complete { get; }

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

    public FrozenDictionary<string, Policy> PoliciesById { get; }

    public static ConfigSnapshot Create(long version, ConfigData data) => Create(new ConfigCacheStamp(version, null), data);

    public static ConfigSnapshot Create(ConfigCacheStamp stamp, ConfigData data) => Create(stamp, stamp.Complete, data);

    public static ConfigSnapshot Create(ConfigCacheStamp stamp, bool complete, ConfigData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new ConfigSnapshot(stamp, complete, data);
    }

    /// <summary>
    /// This copy with <paramref name="overlay"/>'s rows in place of those with the same id, and
    /// every other row kept: how a complete copy takes the rows written onto a Redis that lost
    /// its data, until a rebuild brings the whole set back.
    /// </summary>
    public ConfigSnapshot Overlay(ConfigCacheStamp stamp, ConfigData overlay)
    {
        ArgumentNullException.ThrowIfNull(overlay);
        var data = new ConfigData(
            Merge(Data.Keys, overlay.Keys, static k => k.KeyId),
            Merge(Data.ProviderSettings, overlay.ProviderSettings, static s => s.Id),
            Merge(Data.CustomProviders, overlay.CustomProviders, static p => p.Id),
            Merge(Data.Routes, overlay.Routes, static r => r.Id),
            Merge(Data.Users, overlay.Users, static u => u.Id))
        {
            Policies = Merge(Data.Policies, overlay.Policies, static p => p.Id),
        };
        return new ConfigSnapshot(stamp, Complete, data);
    }

    /// <summary>This copy, at the same stamp, with <paramref name="key"/> and <paramref name="settings"/> added or replaced.</summary>
    public ConfigSnapshot WithKey(ApiKey key, IReadOnlyList<ProviderSetting> settings)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(settings);
        return Overlay(Stamp, new ConfigData([key], settings, [], [], []));
    }

    private static IReadOnlyList<T> Merge<T>(IReadOnlyList<T> rows, IReadOnlyList<T> overlay, Func<T, string> id)
    {
        if (overlay.Count == 0)
        {
            return rows;
        }

        var replaced = overlay.Select(id).ToHashSet(StringComparer.Ordinal);
        return [.. rows.Where(r => !replaced.Contains(id(r))), .. overlay];
    }
}
