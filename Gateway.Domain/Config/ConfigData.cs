using Gateway.Domain.Keys;
using Gateway.Domain.Privacy;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Gateway.Domain.Users;

namespace Gateway.Domain.Config;

/// <summary>All configuration rows, as read from PostgreSQL or from the Redis config cache.</summary>
public sealed record ConfigData(
    IReadOnlyList<ApiKey> Keys,
    IReadOnlyList<ProviderSetting> ProviderSettings,
    IReadOnlyList<CustomProvider> CustomProviders,
    IReadOnlyList<Route> Routes,
    IReadOnlyList<User> Users)
{
    public static ConfigData Empty { get; } = new([], [], [], [], []);

    /// <summary>PII policies, by id; an init member so that every positional construction stays as it was.</summary>
    public IReadOnlyList<Policy> Policies { get; init; } = [];
}
