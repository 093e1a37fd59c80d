using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Gateway.Domain.Redis;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using StackExchange.Redis;

namespace Gateway.Domain.Limits;

/// <summary>
/// Checks every limit of a request (rate windows and spend, for the key and its end user) in one
/// atomic Redis script, and counts the request in its rate windows only when all pass: with
/// limit L, any number of concurrent requests on any number of instances admits exactly L per
/// window, and a rejected request consumes nothing.
/// </summary>
public sealed class RedisLimiter(RedisConnection redis, LocalRateLimiter local, TimeProvider time, IMeterFactory meters, ILogger<RedisLimiter> logger, RedisLimitGuard? guard = null)
{
    // KEYS[i]: a counter. ARGV: per key, (kind, limit, expireAt): kind 1 = rate (admit while
    // count + 1 <= limit, then INCR), kind 2 = spend (admit while spent < limit, read only; both in
    // integer nano-dollars, see SpendCounterKeys).
    // Returns 0 when admitted, else the 1-based index of the first full counter.
    private const string Script = """
        for i = 1, #KEYS do
          local kind = tonumber(ARGV[(i - 1) * 3 + 1])
          local limit = tonumber(ARGV[(i - 1) * 3 + 2])
          local value = tonumber(redis.call('GET', KEYS[i]) or '0')
          if kind == 1 then
            if value + 1 > limit then return i end
          elseif value >= limit then
            return i
          end
        end
        for i = 1, #KEYS do
          if tonumber(ARGV[(i - 1) * 3 + 1]) == 1 then
            redis.call('INCR', KEYS[i])
            redis.call('EXPIREAT', KEYS[i], tonumber(ARGV[(i - 1) * 3 + 3]))
          end
        end
        return 0
        """;

    // Plans by subject; bounded (cleared when it grows past this: a plan is cheap to rebuild).
    private const int MaxPlans = 50_000;

    private readonly RedisLimitGuard _guard = guard ?? RedisLimitGuard.CreateDefault(time);

    private readonly ConcurrentDictionary<(SpendCounterKeys.Owner Owner, string Id), LimitPlan> _plans = new();

    private readonly Counter<long> _redisFailures = meters.Create("Gateway.Limits").CreateCounter<long>("gateway.limits.redis_unavailable", description: "Limit checks made while Redis was unreachable, by outcome");

    public ValueTask<LimitDecision> CheckAsync(IReadOnlyList<LimitSubject> subjects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        for (var i = 0; i < subjects.Count; i++)
        {
            if (subjects[i].HasAnyLimit)
            {
                return CheckSlowAsync(subjects, cancellationToken);
            }
        }

        return ValueTask.FromResult(LimitDecision.Allowed);
    }

    private async ValueTask<LimitDecision> CheckSlowAsync(IReadOnlyList<LimitSubject> subjects, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var (checks, keys, args) = Input(subjects, now);
        try
        {
            var result = await _guard.ExecuteAsync(EvaluateAsync, (redis, keys, args), cancellationToken);
            return result == 0 ? LimitDecision.Allowed : Reject(checks[(int)result - 1], now);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ExecutionRejectedException)
        {
            // While the breaker is open every check is rejected at once; it logged the outage when it opened.
            if (ex is not BrokenCircuitException)
            {
                LimitsLog.RedisUnavailable(logger, ex);
            }

            return Fallback(checks, now);
        }
    }

    // One subject (a key without an end user): its plan's shared arrays as they are (StackExchange.Redis
    // only reads a script's keys and arguments, when it writes the command). Several: joined.
    private (LimitCheck[] Checks, RedisKey[] Keys, RedisValue[] Args) Input(IReadOnlyList<LimitSubject> subjects, DateTimeOffset now)
    {
        if (subjects.Count == 1)
        {
            var only = PlanFor(subjects[0]).At(now);
            return (only.Checks, only.Keys, only.Args);
        }

        var prepared = new LimitPlan.Prepared[subjects.Count];
        var count = 0;
        for (var i = 0; i < subjects.Count; i++)
        {
            prepared[i] = PlanFor(subjects[i]).At(now);
            count += prepared[i].Checks.Length;
        }

        var checks = new LimitCheck[count];
        var keys = new RedisKey[count];
        var args = new RedisValue[count * 3];
        var at = 0;
        foreach (var part in prepared)
        {
            part.Checks.CopyTo(checks, at);
            part.Keys.CopyTo(keys, at);
            part.Args.CopyTo(args, at * 3);
            at += part.Checks.Length;
        }

        return (checks, keys, args);
    }

    private LimitPlan PlanFor(LimitSubject subject)
    {
        if (_plans.TryGetValue((subject.Owner, subject.Id), out var plan) && ReferenceEquals(plan.Limits, subject.Limits))
        {
            return plan;
        }

        if (_plans.Count >= MaxPlans)
        {
            _plans.Clear();
        }

        plan = new LimitPlan(subject, redis.KeyPrefix);
        _plans[(subject.Owner, subject.Id)] = plan;
        return plan;
    }

    // The guard bounds the wait (its timeout and the caller's token): StackExchange.Redis takes no token.
    private static async ValueTask<long> EvaluateAsync((RedisConnection Redis, RedisKey[] Keys, RedisValue[] Args) call, CancellationToken cancellationToken)
    {
        var db = await call.Redis.GetDatabaseAsync();
        return (long)await db.ScriptEvaluateAsync(Script, call.Keys, call.Args);
    }

    private LimitDecision Fallback(LimitCheck[] checks, DateTimeOffset now)
    {
        if (Array.Exists(checks, c => !c.IsRate))
        {
            _redisFailures.Add(1, new KeyValuePair<string, object?>("outcome", "spend_fail_closed"));
            return new LimitDecision(LimitOutcome.Unavailable, TimeSpan.FromSeconds(1), "spend limits cannot be checked right now");
        }

        var windows = checks.Select(c => (c.Name, c.Limit, c.WindowEnd!.Value)).ToList();
        if (local.TryAcquire(windows, now))
        {
            _redisFailures.Add(1, new KeyValuePair<string, object?>("outcome", "rate_local_allowed"));
            return LimitDecision.Allowed;
        }

        _redisFailures.Add(1, new KeyValuePair<string, object?>("outcome", "rate_local_limited"));
        var full = checks.Where(c => c.WindowEnd is not null).Min(c => c.WindowEnd!.Value);
        return new LimitDecision(LimitOutcome.RateLimited, RoundUp(full - now), "too many requests");
    }

    private static LimitDecision Reject(LimitCheck check, DateTimeOffset now) => check.IsRate
        ? new LimitDecision(LimitOutcome.RateLimited, RoundUp(check.WindowEnd!.Value - now), "too many requests")
        : new LimitDecision(LimitOutcome.SpendLimited, check.WindowEnd is { } end ? RoundUp(end - now) : null, "spend limit reached");

    private static TimeSpan RoundUp(TimeSpan span) => TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(span.TotalSeconds)));
}
