using System.Diagnostics.Metrics;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;
using Gateway.Domain.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Tests.Limits;

/// <summary>Redis unreachable: spend limits fail closed, rate limits fall back to a per-instance limiter; both counted.</summary>
public sealed class RedisLimiterOutageTests : IAsyncDisposable
{
    // A loopback port nothing listens on: every Redis call fails fast.
    private readonly RedisConnection _deadRedis = new(Options.Create(new RedisOptions { ConnectionString = "127.0.0.1:1,connectTimeout=200,syncTimeout=500,asyncTimeout=500", KeyPrefix = "gwtest:" }));
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();

    public async ValueTask DisposeAsync()
    {
        await _deadRedis.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task SpendLimit_RedisDown_FailsClosedWithRetryAfterAndIsCounted()
    {
        var (limiter, collector) = Create();
        var key = new ApiKey { KeyId = "k", Name = "n", KeyHash = "h", Limits = { CostLimitInUsd = 1m, RateLimitOverTime = 100, RateLimitUnit = "m" } };

        var decision = await limiter.CheckAsync([LimitSubject.For(key)], CancellationToken.None);

        Assert.Equal(LimitOutcome.Unavailable, decision.Outcome);
        Assert.NotNull(decision.RetryAfter);
        Assert.Contains(collector.Snapshot(), m => m.Value == 1 && m.Outcome == "spend_fail_closed");
    }

    [Fact]
    public async Task RateLimit_RedisDown_LocalLimiterAdmitsExactlyTheLimit()
    {
        var (limiter, collector) = Create();
        var key = new ApiKey { KeyId = Guid.NewGuid().ToString(), Name = "n", KeyHash = "h", Limits = { RateLimitOverTime = 3, RateLimitUnit = "d" } };

        var outcomes = new List<LimitOutcome>();
        for (var i = 0; i < 5; i++)
        {
            outcomes.Add((await limiter.CheckAsync([LimitSubject.For(key)], CancellationToken.None)).Outcome);
        }

        Assert.Equal([LimitOutcome.Allowed, LimitOutcome.Allowed, LimitOutcome.Allowed, LimitOutcome.RateLimited, LimitOutcome.RateLimited], outcomes);
        Assert.Equal(3, collector.Snapshot().Count(m => m.Outcome == "rate_local_allowed"));
        Assert.Equal(2, collector.Snapshot().Count(m => m.Outcome == "rate_local_limited"));
    }

    [Fact]
    public async Task NoLimits_RedisDown_AllowedWithoutTouchingRedis()
    {
        var (limiter, collector) = Create();
        var key = new ApiKey { KeyId = "k", Name = "n", KeyHash = "h" };

        var decision = await limiter.CheckAsync([LimitSubject.For(key)], CancellationToken.None);

        Assert.Equal(LimitOutcome.Allowed, decision.Outcome);
        Assert.Empty(collector.Snapshot());
    }

    private (RedisLimiter, Measurements) Create()
    {
        var meters = _services.GetRequiredService<IMeterFactory>();
        var limiter = new RedisLimiter(_deadRedis, new LocalRateLimiter(), TimeProvider.System, meters, NullLogger<RedisLimiter>.Instance);
        return (limiter, new Measurements());
    }

    /// <summary>Records gateway.limits.redis_unavailable measurements with their outcome tag.</summary>
    private sealed class Measurements
    {
        private readonly List<(long Value, string? Outcome)> _values = [];
        private readonly MeterListener _listener = new();

        public Measurements()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Name == "gateway.limits.redis_unavailable")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
            {
                string? outcome = null;
                foreach (var tag in tags)
                {
                    if (tag.Key == "outcome")
                    {
                        outcome = tag.Value as string;
                    }
                }

                lock (_values)
                {
                    _values.Add((value, outcome));
                }
            });
            _listener.Start();
        }

        public List<(long Value, string? Outcome)> Snapshot()
        {
            lock (_values)
            {
                return [.. _values];
            }
        }
    }
}
