using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Config;

internal static partial class ConfigLog
{
    [LoggerMessage(1200, LogLevel.Information, "Loaded config cache version {Version}: {Keys} keys, {Settings} provider settings, {CustomProviders} custom providers, {Routes} routes, {Users} users")]
    public static partial void Loaded(ILogger logger, long version, int keys, int settings, int customProviders, int routes, int users);

    [LoggerMessage(1201, LogLevel.Warning, "Could not load the config cache from Redis; keeping version {Version}")]
    public static partial void LoadFailed(ILogger logger, long version, Exception exception);

    [LoggerMessage(1202, LogLevel.Warning, "The Redis config cache is empty; it is filled by the admin API and the ingest app's refresh")]
    public static partial void CacheEmpty(ILogger logger);

    [LoggerMessage(1203, LogLevel.Information, "Rebuilt the Redis config cache from PostgreSQL at version {Version}: {Keys} keys, {Settings} provider settings, {CustomProviders} custom providers, {Routes} routes, {Users} users")]
    public static partial void Rebuilt(ILogger logger, long version, int keys, int settings, int customProviders, int routes, int users);

    [LoggerMessage(1204, LogLevel.Warning, "Ignoring a malformed config invalidation message")]
    public static partial void MalformedInvalidation(ILogger logger);

    [LoggerMessage(1205, LogLevel.Debug, "An admin write went through while the config cache was being rebuilt (attempt {Attempt}); loading again")]
    public static partial void RebuildRaced(ILogger logger, int attempt);

    [LoggerMessage(1206, LogLevel.Warning, "The config cache was rebuilt after {Attempts} attempts raced admin writes; a write of the last moments may be undone until the next rebuild")]
    public static partial void RebuiltDespiteWrites(ILogger logger, int attempts);

    [LoggerMessage(1207, LogLevel.Information, "Loading the config cache at startup failed (attempt {Attempt}: {Reason}); trying again")]
    public static partial void StartupLoadRetried(ILogger logger, int attempt, string reason);
}
