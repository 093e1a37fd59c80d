using System.Net;
using Gateway.Domain.Caching;
using Gateway.Functions.Tests.Config;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using static Gateway.Functions.Tests.Caching.CacheTestClient;

namespace Gateway.Functions.Tests.Caching;

/// <summary>A private redis-server stopped under a running proxy: cacheable requests still succeed (each a miss), and the cache works again when Redis is back.</summary>
public sealed class ResponseCacheOutageTests : IAsyncLifetime
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
    public async Task RedisDown_RequestsStillSucceedAsMisses_AndFailuresAreCounted()
    {
        var setting = await _fleet.AddSettingAsync();
        var (key, raw) = TestData.NewKey("cache outage", setting.Id);
        await _fleet.Writer.UpsertAsync(key);
        await _fleet.UntilEveryInstanceAnswersAsync(raw, HttpStatusCode.OK, TimeSpan.FromSeconds(5));
        var app = _fleet.Apps[0];
        var metrics = app.Services.GetRequiredService<ResponseCacheMetrics>();
        var body = Chat("outage", temperature: 0);
        var upstreamBefore = _fleet.Upstream.Requests.Count;

        await _server.StopAsync();
        var answers = new List<Answer>();
        for (var i = 0; i < 3; i++)
        {
            answers.Add(await PostAsync(app.BaseAddress, raw, ChatPath, body));
        }

        Assert.All(answers, a => Assert.Equal((HttpStatusCode.OK, "MISS"), (a.Status, a.Cached)));
        Assert.All(answers, a => Assert.Contains("Hello from the fake provider", a.Body, StringComparison.Ordinal));
        Assert.Equal(upstreamBefore + 3, _fleet.Upstream.Requests.Count);
        // The store (the set) runs after the client has the whole answer: the last one may still be failing.
        await Eventually.AssertAsync(() => metrics.Failures >= 6, TimeSpan.FromSeconds(5), "a get and a set counted as failures per request");

        await _server.StartAgainAsync();
        await Eventually.AssertAsync(
            () => PostAsync(app.BaseAddress, raw, ChatPath, body).GetAwaiter().GetResult().Cached == "HIT",
            TimeSpan.FromSeconds(10),
            "the cache serves hits again once Redis is back");
    }
}
