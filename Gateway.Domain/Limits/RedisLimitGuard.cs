using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace Gateway.Domain.Limits;

/// <summary>
/// Wraps the limits call to Redis in a short timeout and a circuit breaker (Polly), so that while
/// Redis is down or hung every limit check fails in microseconds and takes its fallback, and the
/// first check after Redis is back goes through again.
/// </summary>
/// <remarks>
/// <code>
///  breaker   open after 3 or more calls in 2 s of which half failed; while open, calls are rejected
///            at once (BrokenCircuitException); after BreakDuration one call probes Redis
///  timeout   each call is cancelled after RedisTimeout (TimeoutRejectedException)
/// </code>
/// Failures: Redis errors and timeouts. A cancelled request (client gone) is not a Redis failure.
/// Callers treat any <see cref="ExecutionRejectedException"/> like a Redis error.
/// </remarks>
public sealed class RedisLimitGuard
{
    // Typed on the script's result: a non-generic pipeline runs a typed call through a bridge of
    // extra async state machines per strategy (about 1 % of the proxy's CPU in the benchmark).
    private readonly ResiliencePipeline<long> _pipeline;

    public RedisLimitGuard(IOptions<LimitsRedisOptions> options, TimeProvider time, ILogger<RedisLimitGuard> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _pipeline = new ResiliencePipelineBuilder<long> { TimeProvider = time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<long>
            {
                FailureRatio = 0.5,
                MinimumThroughput = 3,
                SamplingDuration = TimeSpan.FromSeconds(2),
                BreakDuration = settings.BreakDuration,
                ShouldHandle = new PredicateBuilder<long>().Handle<RedisException>().Handle<TimeoutException>().Handle<TimeoutRejectedException>(),
                OnOpened = args =>
                {
                    LimitsLog.BreakerOpened(logger, args.BreakDuration, args.Outcome.Exception);
                    return default;
                },
                OnClosed = _ =>
                {
                    LimitsLog.BreakerClosed(logger);
                    return default;
                },
            })
            .AddTimeout(settings.RedisTimeout)
            .Build();
    }

    /// <summary>A guard with the default settings, for code that builds a limiter by hand.</summary>
    public static RedisLimitGuard CreateDefault(TimeProvider time)
        => new(Options.Create(new LimitsRedisOptions()), time, NullLogger<RedisLimitGuard>.Instance);

    /// <summary>Runs <paramref name="call"/>, which must honour the token it is given (the timeout cancels it).</summary>
    public ValueTask<long> ExecuteAsync<TState>(Func<TState, CancellationToken, ValueTask<long>> call, TState state, CancellationToken cancellationToken)
        => _pipeline.ExecuteAsync(call, state, cancellationToken);
}
