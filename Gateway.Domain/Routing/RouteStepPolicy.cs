using Gateway.Domain.Limits;
using Polly;
using Polly.Retry;

namespace Gateway.Domain.Routing;

/// <summary>
/// How one route step retries: <c>retries</c> more attempts after the first, waiting
/// <c>retryInterval</c> (<c>constant</c>) or an exponential backoff with jitter from it
/// (<c>exponential</c>); each attempt gets <c>timeout</c> until the upstream's response headers.
/// </summary>
/// <remarks>
/// Only retryable outcomes (<see cref="AttemptOutcome.IsRetryable"/>) are retried. A 429 or 503
/// with <c>Retry-After</c> waits that long instead of the backoff when it is shorter than the
/// step's timeout; a longer one ends the step at once (the next step is tried), as waiting would
/// cost more than the step is allowed to take.
/// </remarks>
public sealed record RouteStepPolicy(int Retries, TimeSpan RetryInterval, TimeSpan? Timeout, bool Exponential)
{
    /// <summary>BricksLLM's default interval when a step names none.</summary>
    public static readonly TimeSpan DefaultRetryInterval = TimeSpan.FromSeconds(1);

    /// <summary>The longest exponential backoff between two attempts of a step.</summary>
    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    public static RouteStepPolicy For(Route route, RouteStep step)
    {
        ArgumentNullException.ThrowIfNull(route);
        ArgumentNullException.ThrowIfNull(step);
        var interval = GoDuration.TryParse(step.RetryInterval, out var parsed) && parsed > TimeSpan.Zero ? parsed : DefaultRetryInterval;
        TimeSpan? timeout = GoDuration.TryParse(step.Timeout, out var limit) && limit > TimeSpan.Zero ? limit : null;
        return new RouteStepPolicy(Math.Max(0, step.Retries), interval, timeout, string.Equals(route.RetryStrategy, "exponential", StringComparison.Ordinal));
    }

    /// <summary>Whether <paramref name="outcome"/> is retried within this step (given a retry is left).</summary>
    public bool ShouldRetry(AttemptOutcome outcome)
        => outcome.Verdict == AttemptVerdict.Retryable && (outcome.RetryAfter is not { } wait || Timeout is not { } timeout || wait < timeout);

    /// <summary>The step's retries as a Polly pipeline over the attempt's outcome; empty when it has none.</summary>
    public ResiliencePipeline<AttemptOutcome> BuildPipeline(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        var builder = new ResiliencePipelineBuilder<AttemptOutcome> { TimeProvider = time };
        if (Retries == 0)
        {
            return builder.Build();
        }

        return builder.AddRetry(new RetryStrategyOptions<AttemptOutcome>
        {
            MaxRetryAttempts = Retries,
            Delay = RetryInterval,
            BackoffType = Exponential ? DelayBackoffType.Exponential : DelayBackoffType.Constant,
            UseJitter = Exponential,
            MaxDelay = Exponential ? (RetryInterval > MaxBackoff ? RetryInterval : MaxBackoff) : null,
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && ShouldRetry(args.Outcome.Result)),
            DelayGenerator = static args => ValueTask.FromResult(args.Outcome.Result.RetryAfter),
        }).Build();
    }
}
