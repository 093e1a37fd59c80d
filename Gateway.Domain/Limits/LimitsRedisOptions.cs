using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Limits;

/// <summary>How long the proxy waits for the limits script, and for how long it stops asking a failing Redis: <c>Limits__RedisTimeout</c>, <c>Limits__BreakDuration</c>.</summary>
public sealed class LimitsRedisOptions
{
    public const string Section = "Limits";

    /// <summary>
    /// For a hung Redis (a stopped one fails at once: the connection fails fast): past this the
    /// request gets the fallback (spend: 503, rate: the per-instance limiter) instead of waiting
    /// for the Redis client's own 5 s timeout, and after a few such requests the breaker answers
    /// at once. Not shorter: the script answers in well under a millisecond on a healthy Redis, but
    /// a proxy saturated on one core (the benchmark, a loaded host) queues its own continuations
    /// for hundreds of milliseconds, and a false timeout fails spend-limited requests closed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:00:05", ErrorMessage = "The setting Limits__RedisTimeout must be between 10 ms and 5 s.")]
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// After repeated failures, limit checks skip Redis for this long, then one request tries it
    /// again. With the connection's ~1 s reconnect this keeps recovery after Redis returns within
    /// about 2 s. Polly's minimum is 500 ms.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:01:00", ErrorMessage = "The setting Limits__BreakDuration must be between 500 ms and 1 minute.")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromMilliseconds(500);
}

[OptionsValidator]
internal sealed partial class LimitsRedisOptionsValidator : IValidateOptions<LimitsRedisOptions>;
