using Gateway.Domain.Config;

namespace Gateway.Admin.Functions.Http;

/// <summary>Logs of the management endpoints (event ids 2010-2049). Ids and names only: never a key, a credential or a request body.</summary>
internal static partial class ManagementLog
{
    [LoggerMessage(2010, LogLevel.Information, "Created key {KeyId}")]
    public static partial void KeyCreated(ILogger logger, string keyId);

    [LoggerMessage(2011, LogLevel.Information, "Updated key {KeyId} (revoked: {Revoked})")]
    public static partial void KeyUpdated(ILogger logger, string keyId, bool revoked);

    [LoggerMessage(2012, LogLevel.Information, "Deleted key {KeyId}")]
    public static partial void KeyDeleted(ILogger logger, string keyId);

    [LoggerMessage(2013, LogLevel.Information, "Created provider setting {SettingId} for {Provider}")]
    public static partial void SettingCreated(ILogger logger, string settingId, string provider);

    [LoggerMessage(2014, LogLevel.Information, "Updated provider setting {SettingId}")]
    public static partial void SettingUpdated(ILogger logger, string settingId);

    [LoggerMessage(2015, LogLevel.Information, "Created custom provider {Provider} ({ProviderId})")]
    public static partial void CustomProviderCreated(ILogger logger, string provider, string providerId);

    [LoggerMessage(2016, LogLevel.Information, "Updated custom provider {ProviderId}")]
    public static partial void CustomProviderUpdated(ILogger logger, string providerId);

    [LoggerMessage(2017, LogLevel.Information, "Created route {RouteId} at {Path}")]
    public static partial void RouteCreated(ILogger logger, string routeId, string path);

    [LoggerMessage(2018, LogLevel.Information, "Deleted route {RouteId}")]
    public static partial void RouteDeleted(ILogger logger, string routeId);

    [LoggerMessage(2019, LogLevel.Information, "Created user {Id}")]
    public static partial void UserCreated(ILogger logger, string id);

    [LoggerMessage(2020, LogLevel.Information, "Updated user {Id}")]
    public static partial void UserUpdated(ILogger logger, string id);

    [LoggerMessage(2021, LogLevel.Error, "Saved {Kind} {Id} in PostgreSQL but could not write it to the Redis config cache; the next config refresh will propagate it")]
    public static partial void ConfigCacheWriteFailed(ILogger logger, ConfigEntityKind kind, string id, Exception exception);

    [LoggerMessage(2022, LogLevel.Warning, "Could not decrypt the credentials of provider setting {SettingId}; they are shown fully masked")]
    public static partial void SettingUndecryptable(ILogger logger, string settingId, Exception exception);

    [LoggerMessage(2023, LogLevel.Information, "Re-encrypted the credentials of {Count} provider setting(s) of custom provider {Provider} after its authentication_param changed")]
    public static partial void SettingsReclassified(ILogger logger, int count, string provider);
}
