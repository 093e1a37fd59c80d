using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Limits;

internal static partial class LimitsLog
{
    [LoggerMessage(1300, LogLevel.Warning, "Redis is unavailable for limit checks: spend limits fail closed, rate limits use the per-instance limiter")]
    public static partial void RedisUnavailable(ILogger logger, Exception exception);

    [LoggerMessage(1301, LogLevel.Warning, "Limit checks stop calling Redis for {BreakDuration} after repeated failures: spend limits fail closed, rate limits use the per-instance limiter")]
    public static partial void BreakerOpened(ILogger logger, TimeSpan breakDuration, Exception? exception);

    [LoggerMessage(1302, LogLevel.Information, "Redis answers limit checks again")]
    public static partial void BreakerClosed(ILogger logger);
}
