using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Gateway.Domain.Json;
using Gateway.Domain.Keys;
using Gateway.Domain.Privacy;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Gateway.Domain.Users;

namespace Gateway.Domain.Config;

/// <summary>
/// Where the config cache lives in Redis (all names behind the deployment's key prefix):
/// one hash per kind (id → JSON row), a version counter bumped by every write, and a pub/sub
/// channel that carries <see cref="ConfigInvalidation"/> messages.
/// </summary>
internal static class ConfigCacheLayout
{
    public const string VersionKey = "config:version";

    /// <summary>The generation of <see cref="VersionKey"/>: see <see cref="ConfigCacheStamp"/>.</summary>
    public const string GenerationKey = "config:generation";

    /// <summary>Key hash (lowercase hex) → key id: how a proxy finds a key it does not hold yet.</summary>
    public const string KeyHashIndex = "config:key-hashes";
    public const string Channel = "config:changed";

    public static string HashKey(ConfigEntityKind kind) => kind switch
    {
        ConfigEntityKind.Key => "config:keys",
        ConfigEntityKind.ProviderSetting => "config:provider-settings",
        ConfigEntityKind.CustomProvider => "config:custom-providers",
        ConfigEntityKind.Route => "config:routes",
        ConfigEntityKind.User => "config:users",
        ConfigEntityKind.Policy => "config:policies",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static IEnumerable<ConfigEntityKind> Kinds => Enum.GetValues<ConfigEntityKind>();

    public static JsonTypeInfo<ApiKey> KeyJson => DomainJsonContext.Default.ApiKey;

    public static JsonTypeInfo<ProviderSetting> SettingJson => DomainJsonContext.Default.ProviderSetting;

    public static JsonTypeInfo<CustomProvider> CustomProviderJson => DomainJsonContext.Default.CustomProvider;

    public static JsonTypeInfo<Route> RouteJson => DomainJsonContext.Default.Route;

    public static JsonTypeInfo<User> UserJson => DomainJsonContext.Default.User;

    public static JsonTypeInfo<Policy> PolicyJson => DomainJsonContext.Default.Policy;

    public static IEnumerable<(string Id, string Json)> Rows(ConfigData data, ConfigEntityKind kind) => kind switch
    {
        ConfigEntityKind.Key => data.Keys.Select(k => (k.KeyId, JsonSerializer.Serialize(k, KeyJson))),
        ConfigEntityKind.ProviderSetting => data.ProviderSettings.Select(s => (s.Id, JsonSerializer.Serialize(s, SettingJson))),
        ConfigEntityKind.CustomProvider => data.CustomProviders.Select(p => (p.Id, JsonSerializer.Serialize(p, CustomProviderJson))),
        ConfigEntityKind.Route => data.Routes.Select(r => (r.Id, JsonSerializer.Serialize(r, RouteJson))),
        ConfigEntityKind.User => data.Users.Select(u => (u.Id, JsonSerializer.Serialize(u, UserJson))),
        ConfigEntityKind.Policy => data.Policies.Select(p => (p.Id, JsonSerializer.Serialize(p, PolicyJson))),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
