namespace Gateway.Domain.Config;

/// <summary>The kinds of configuration the proxy holds in memory.</summary>
public enum ConfigEntityKind
{
    Key,
    ProviderSetting,
    CustomProvider,
    Route,
    User,
    Policy,
}
