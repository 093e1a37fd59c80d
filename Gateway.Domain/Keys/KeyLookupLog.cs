using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Keys;

internal static partial class KeyLookupLog
{
    // Debug: a flood of unknown keys during a Redis outage must not flood the log too; the
    // gateway.keys.redis_lookups counter counts every outcome.
    [LoggerMessage(1120, LogLevel.Debug, "Could not look a key up in the Redis config cache; answering as unknown")]
    public static partial void LookupFailed(ILogger logger, Exception exception);

    [LoggerMessage(1121, LogLevel.Debug, "Too many key lookups in flight; answering as unknown")]
    public static partial void LookupShed(ILogger logger);

    [LoggerMessage(1122, LogLevel.Information, "A key not yet in the config copy was found in the Redis config cache (version {Version}); reloading")]
    public static partial void FoundAheadOfCopy(ILogger logger, long version);
}
