using System.Diagnostics.Metrics;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;
using Gateway.Domain.Redis;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Gateway.Domain.Tests.Limits;

/// <summary>
/// The limiter against real Redis on a fake clock: the counters it uses per window (their names are
/// kept between requests and rebuilt when the window changes) and a key whose limits change.
/// </summary>
public sealed class RedisLimiterWindowTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-30T12:00:00.250Z", System.Globalization.CultureInfo.InvariantCulture);

    private readonly string _prefix = RedisTestConnection.NewPrefix();
    private readonly RedisConnection _redis;
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new(Start);
    private readonly RedisLimiter _limiter;

    public RedisLimiterWindowTests()
    {
        _redis = RedisTestConnection.Create(_prefix);
        _limiter = new RedisLimiter(_redis, new LocalRateLimiter(), _time, _services.GetRequiredService<IMeterFactory>(), NullLogger<RedisLimiter>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _redis.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task RatePerSecond_NextSecond_CountsInTheNewWindowsCounter()
    {
        var key = Key("k-second", new SubjectLimits { RateLimitOverTime = 2, RateLimitUnit = "s" });

        Assert.Equal([LimitOutcome.Allowed, LimitOutcome.Allowed, LimitOutcome.RateLimited], await CheckAsync(key, 3));

        _time.Advance(TimeSpan.FromMilliseconds(700)); // 12:00:00.950, same second
        Assert.Equal([LimitOutcome.RateLimited], await CheckAsync(key, 1));

        _time.Advance(TimeSpan.FromMilliseconds(100)); // 12:00:01.050
        Assert.Equal([LimitOutcome.Allowed, LimitOutcome.Allowed, LimitOutcome.RateLimited], await CheckAsync(key, 3));

        var db = await _redis.GetDatabaseAsync();
        Assert.Equal(2, (long)await db.StringGetAsync(_redis.Key(SpendCounterKeys.Rate(SpendCounterKeys.Owner.Key, "k-second", LimitUnit.Second, Start.AddMilliseconds(-250)))));
        Assert.Equal(2, (long)await db.StringGetAsync(_redis.Key(SpendCounterKeys.Rate(SpendCounterKeys.Owner.Key, "k-second", LimitUnit.Second, Start.AddMilliseconds(750)))));
    }

    [Fact]
    public async Task SpendPerMinute_ReadsTheCounterIngestWritesForTheCurrentWindow()
    {
        var key = Key("k-spend", new SubjectLimits { CostLimitInUsdOverTime = 1m, CostLimitInUsdUnit = "m" });
        var db = await _redis.GetDatabaseAsync();
        var minute = LimitUnit.Minute.Window(Start).Start;
        await db.StringSetAsync(_redis.Key(SpendCounterKeys.Window(SpendCounterKeys.Owner.Key, "k-spend", LimitUnit.Minute, minute)), SpendCounterKeys.ToNanoDollars(1m));

        var refused = await _limiter.CheckAsync([LimitSubject.For(key)], CancellationToken.None);
        Assert.Equal(LimitOutcome.SpendLimited, refused.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.RetryAfter);

        _time.Advance(TimeSpan.FromMinutes(1)); // a new window: its counter is empty
        Assert.Equal([LimitOutcome.Allowed], await CheckAsync(key, 1));
    }

    [Fact]
    public async Task LimitsChanged_NewLimitAppliesAtOnce()
    {
        var before = Key("k-change", new SubjectLimits { RateLimitOverTime = 1, RateLimitUnit = "m" });
        Assert.Equal([LimitOutcome.Allowed, LimitOutcome.RateLimited], await CheckAsync(before, 2));

        // A config update: the same key id with a new limits object (as the config cache delivers it).
        var after = Key("k-change", new SubjectLimits { RateLimitOverTime = 3, RateLimitUnit = "m" });
        Assert.Equal([LimitOutcome.Allowed, LimitOutcome.Allowed, LimitOutcome.RateLimited], await CheckAsync(after, 3));

        var totalOnly = Key("k-change", new SubjectLimits { CostLimitInUsd = 5m });
        Assert.Equal([LimitOutcome.Allowed, LimitOutcome.Allowed], await CheckAsync(totalOnly, 2));
    }

    [Fact]
    public async Task KeyAndEndUser_EachCountedUnderItsOwnCounter()
    {
        var key = Key("k-both", new SubjectLimits { RateLimitOverTime = 10, RateLimitUnit = "h" });
        var user = new Users.User { Id = "u-both", UserId = "end-user-both", Limits = { RateLimitOverTime = 1, RateLimitUnit = "h" } };

        Assert.Equal(LimitOutcome.Allowed, (await _limiter.CheckAsync([LimitSubject.For(key), LimitSubject.For(user)], CancellationToken.None)).Outcome);
        Assert.Equal(LimitOutcome.RateLimited, (await _limiter.CheckAsync([LimitSubject.For(key), LimitSubject.For(user)], CancellationToken.None)).Outcome);
        Assert.Equal([LimitOutcome.Allowed], await CheckAsync(key, 1)); // the refusal consumed nothing of the key's

        var db = await _redis.GetDatabaseAsync();
        var hour = LimitUnit.Hour.Window(Start).Start;
        Assert.Equal(2, (long)await db.StringGetAsync(_redis.Key(SpendCounterKeys.Rate(SpendCounterKeys.Owner.Key, "k-both", LimitUnit.Hour, hour))));
        Assert.Equal(1, (long)await db.StringGetAsync(_redis.Key(SpendCounterKeys.Rate(SpendCounterKeys.Owner.User, "u-both", LimitUnit.Hour, hour))));
    }

    private static ApiKey Key(string id, SubjectLimits limits) => new() { KeyId = id, Name = id, KeyHash = "h-" + id, Limits = limits };

    private async Task<LimitOutcome[]> CheckAsync(ApiKey key, int times)
    {
        var outcomes = new LimitOutcome[times];
        for (var i = 0; i < times; i++)
        {
            outcomes[i] = (await _limiter.CheckAsync([LimitSubject.For(key)], CancellationToken.None)).Outcome;
        }

        return outcomes;
    }
}
