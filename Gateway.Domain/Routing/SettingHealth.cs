using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;

namespace Gateway.Domain.Routing;

/// <summary>
/// A Polly circuit breaker per provider setting, per proxy instance: attempts on a setting run
/// through its breaker, which counts retryable outcomes (transport errors, timeouts, 408, 409,
/// 429, 5xx) as failures and, once open, keeps the setting out of rotation for the cool-down.
/// </summary>
public sealed class SettingHealth
{
    private readonly ConcurrentDictionary<string, Breaker> _breakers = new(StringComparer.Ordinal);
    private readonly RotationOptions _options;
    private readonly TimeProvider _time;

    public SettingHealth(IOptions<RotationOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
    }

    /// <summary>Whether the setting takes traffic: its breaker is closed, or half-open and waiting for a probe.</summary>
    public bool IsAvailable(string settingId)
        => !_breakers.TryGetValue(settingId, out var breaker)
            || breaker.State.CircuitState is CircuitState.Closed or CircuitState.HalfOpen
            // Polly moves an open circuit to half-open only when the next call comes: past the cool-down it is available for that probe.
            || (breaker.State.CircuitState == CircuitState.Open && _time.GetUtcNow().UtcTicks >= breaker.OpenUntilTicks);

    /// <summary>
    /// Runs one attempt on <paramref name="settingId"/> through its breaker; null when the breaker
    /// refused it (opened meanwhile, or another request is probing it).
    /// </summary>
    public async ValueTask<AttemptOutcome?> ExecuteAsync<TState>(string settingId, Func<TState, CancellationToken, ValueTask<AttemptOutcome>> attempt, TState state, CancellationToken cancellationToken)
    {
        var breaker = _breakers.GetOrAdd(settingId, static (_, self) => self.Create(), this);
        try
        {
            return await breaker.Pipeline.ExecuteAsync(attempt, state, cancellationToken);
        }
        catch (BrokenCircuitException)
        {
            return null;
        }
    }

    private Breaker Create()
    {
        var state = new CircuitBreakerStateProvider();
        Breaker? breaker = null;
        var pipeline = new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = _time }
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<AttemptOutcome>
            {
                FailureRatio = _options.FailureRatio,
                MinimumThroughput = _options.MinimumThroughput,
                SamplingDuration = _options.SamplingDuration,
                BreakDuration = _options.BreakDuration,
                StateProvider = state,
                ShouldHandle = static args => ValueTask.FromResult(args.Outcome.Exception is null && args.Outcome.Result.Verdict == AttemptVerdict.Retryable),
                OnOpened = args =>
                {
                    breaker!.OpenUntilTicks = (_time.GetUtcNow() + args.BreakDuration).UtcTicks;
                    return default;
                },
            })
            .Build();
        breaker = new Breaker(pipeline, state);
        return breaker;
    }

    private sealed class Breaker(ResiliencePipeline<AttemptOutcome> pipeline, CircuitBreakerStateProvider state)
    {
        public ResiliencePipeline<AttemptOutcome> Pipeline { get; } = pipeline;

        public CircuitBreakerStateProvider State { get; } = state;

        private long _openUntilTicks;

        public long OpenUntilTicks
        {
            get => Volatile.Read(ref _openUntilTicks);
            set => Volatile.Write(ref _openUntilTicks, value);
        }
    }
}
