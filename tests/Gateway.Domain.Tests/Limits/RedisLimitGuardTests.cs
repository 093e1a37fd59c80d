using Gateway.Domain.Limits;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace Gateway.Domain.Tests.Limits;

/// <summary>The timeout and breaker around the limits call, on a fake clock.</summary>
public sealed class RedisLimitGuardTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-29T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public async Task RepeatedRedisFailures_BreakerOpens_CallsRejectedWithoutRunning()
    {
        var guard = Create();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RedisConnectionException>(() => guard.ExecuteAsync(Fail, 0, CancellationToken.None).AsTask());
        }

        var calls = 0;
        await Assert.ThrowsAsync<BrokenCircuitException>(() => guard.ExecuteAsync((_, _) => { calls++; return ValueTask.FromResult(1L); }, 0, CancellationToken.None).AsTask());
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task BreakDurationPassed_ProbeSucceeds_BreakerCloses()
    {
        var guard = Create();
        for (var i = 0; i < 3; i++)
        {
            await Assert.ThrowsAsync<RedisConnectionException>(() => guard.ExecuteAsync(Fail, 0, CancellationToken.None).AsTask());
        }

        _time.Advance(TimeSpan.FromMilliseconds(500));

        Assert.Equal(7L, await guard.ExecuteAsync((_, _) => ValueTask.FromResult(7L), 0, CancellationToken.None));
        Assert.Equal(8L, await guard.ExecuteAsync((_, _) => ValueTask.FromResult(8L), 0, CancellationToken.None));
    }

    [Fact]
    public async Task HungRedis_CallCancelledAfterTimeout()
    {
        var guard = Create();
        var call = guard.ExecuteAsync(static async (_, ct) => { await Task.Delay(Timeout.Infinite, ct); return 1L; }, 0, CancellationToken.None).AsTask();

        _time.Advance(TimeSpan.FromMilliseconds(250));

        await Assert.ThrowsAsync<TimeoutRejectedException>(() => call);
    }

    [Fact]
    public async Task CallerCancels_NotCountedAsRedisFailure()
    {
        var guard = Create();
        for (var i = 0; i < 5; i++)
        {
            using var cancelled = new CancellationTokenSource();
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => guard.ExecuteAsync(static (_, ct) => { ct.ThrowIfCancellationRequested(); return ValueTask.FromResult(1L); }, 0, cancelled.Token).AsTask());
        }

        Assert.Equal(3L, await guard.ExecuteAsync((_, _) => ValueTask.FromResult(3L), 0, CancellationToken.None));
    }

    private static ValueTask<long> Fail(int state, CancellationToken cancellationToken)
        => throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "down");

    private RedisLimitGuard Create()
        => new(Options.Create(new LimitsRedisOptions { RedisTimeout = TimeSpan.FromMilliseconds(250), BreakDuration = TimeSpan.FromMilliseconds(500) }), _time, NullLogger<RedisLimitGuard>.Instance);
}
