using Gateway.Domain.Limits;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>Rate windows and spend, for the key and its end user: one Redis script round trip (none when neither has a limit).</summary>
internal sealed class LimitsStep(RedisLimiter limiter) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        // A provider-key caller's stand-in key has no limits and no end user: no Redis call (ProviderKeyGate).
        LimitSubject[] subjects = context.EndUser is { } user
            ? [LimitSubject.For(context.Key!), LimitSubject.For(user)]
            : [LimitSubject.For(context.Key!)];
        var check = limiter.CheckAsync(subjects, context.Aborted);
        return check.IsCompletedSuccessfully ? ValueTask.FromResult(Apply(context, check.Result)) : AwaitAsync(context, check);
    }

    private static async ValueTask<StepResult> AwaitAsync(ProxyContext context, ValueTask<LimitDecision> check)
        => Apply(context, await check);

    private static StepResult Apply(ProxyContext context, LimitDecision decision)
    {
        context.Limits = decision;
        return decision.Outcome switch
        {
            LimitOutcome.Allowed => StepResult.Continue,
            LimitOutcome.Unavailable => StepResult.End(new ProxyOutcome(503, ProxyErrorKind.Unavailable, decision.Detail ?? "limits cannot be checked right now", decision.RetryAfter)),
            _ => StepResult.End(new ProxyOutcome(429, ProxyErrorKind.RateLimited, decision.Detail ?? "too many requests", decision.RetryAfter)),
        };
    }
}
