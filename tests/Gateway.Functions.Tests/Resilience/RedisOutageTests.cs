using System.Diagnostics;
using System.Net;
using Gateway.Functions.Tests.Config;
using Gateway.Testing;
using Xunit.Abstractions;

namespace Gateway.Functions.Tests.Resilience;

/// <summary>
/// A private redis-server stopped under a running proxy: limited requests are answered in
/// milliseconds (spend limits 503 with Retry-After, rate limits by the per-instance limiter), and
/// limits use Redis again within 2 s of its return.
/// </summary>
public sealed class RedisOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private RedisServerProcess _server = null!;
    private ProxyFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync();
        _fleet = await ProxyFleet.StartAsync(1, _server.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RedisStopped_LimitedRequestsAnsweredWithin100ms_AndRecoveryWithin2s()
    {
        var setting = await _fleet.AddSettingAsync();
        var (rateKey, rateRaw) = TestData.NewKey("rate", setting.Id);
        rateKey.Limits.RateLimitOverTime = 1000;
        rateKey.Limits.RateLimitUnit = "m";
        var (spendKey, spendRaw) = TestData.NewKey("spend", setting.Id);
        spendKey.Limits.CostLimitInUsd = 100m;
        await _fleet.Writer.UpsertAsync(rateKey);
        await _fleet.Writer.UpsertAsync(spendKey);
        await _fleet.UntilEveryInstanceAnswersAsync(spendRaw, HttpStatusCode.OK, TimeSpan.FromSeconds(5));
        await _fleet.UntilEveryInstanceAnswersAsync(rateRaw, HttpStatusCode.OK, TimeSpan.FromSeconds(5));

        await _server.StopAsync();
        var rate = new List<TimeSpan>();
        var spend = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            var (rateStatus, rateElapsed, _) = await _fleet.ChatAsync(0, rateRaw);
            var (spendStatus, spendElapsed, headers) = await _fleet.ChatAsync(0, spendRaw);
            Assert.Equal(HttpStatusCode.OK, rateStatus);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, spendStatus);
            Assert.NotNull(headers.RetryAfter);
            rate.Add(rateElapsed);
            spend.Add(spendElapsed);
        }

        output.WriteLine($"Redis down, rate-limited key (ms): {string.Join(", ", rate.Select(t => t.TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}");
        output.WriteLine($"Redis down, spend-limited key (ms): {string.Join(", ", spend.Select(t => t.TotalMilliseconds.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)))}");

        // The requirement is 100 ms per answer (it was 5 s: the Redis client's timeout). The median
        // must meet it; a single answer up to 1 s is tolerated as machine noise on a shared host.
        Assert.True(Median(rate) <= TimeSpan.FromMilliseconds(100), $"median {Median(rate).TotalMilliseconds:0} ms with a rate limit");
        Assert.True(Median(spend) <= TimeSpan.FromMilliseconds(100), $"median {Median(spend).TotalMilliseconds:0} ms with a spend limit");
        Assert.All(rate.Concat(spend), t => Assert.True(t < TimeSpan.FromSeconds(1), $"{t.TotalMilliseconds:0} ms"));

        await _server.StartAgainAsync();
        var watch = Stopwatch.StartNew();
        while ((await _fleet.ChatAsync(0, spendRaw)).Status != HttpStatusCode.OK)
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), "limits never used Redis again");
            await Task.Delay(20);
        }

        output.WriteLine($"Redis back: spend-limited requests served again after {watch.Elapsed.TotalMilliseconds:0} ms");
        Assert.True(watch.Elapsed <= TimeSpan.FromSeconds(2), $"recovery took {watch.Elapsed.TotalMilliseconds:0} ms");
    }

    private static TimeSpan Median(List<TimeSpan> values) => values.Order().ElementAt(values.Count / 2);
}
