using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Limits;

internal static partial class LimitsLog
{
    [LoggerMessage(1300, LogLevel.Warning, "Redis is unavailable for limit checks: spend limits fail closed, rate limits use the per-instance limiter")]
    public static partial void RedisUnavailable(ILogger logger, Exception exception);
}
