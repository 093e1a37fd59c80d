using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Functions.Tests.Proxy;
using Xunit.Abstractions;
using static Gateway.Functions.Tests.Caching.CacheTestClient;

namespace Gateway.Functions.Tests.Caching;

/// <summary>
/// Measures (never asserts) what a cache hit adds: sequential requests on one keep-alive
/// connection, p50/p99 of (a) a hit, (b) the same pipeline ended by the cache step without Redis
/// (an invalid <c>x-bt-use-cache</c>: authenticate, body, limits, then a 400), (c) a forwarded miss
/// (<c>never</c>), (d) the fake provider directly and (e) a bare Redis GET. A hit's added latency
/// is (a) − (b): the Redis GET, the decryption and the replay. Run with
/// <c>dotnet test tests/Gateway.Functions.Tests --filter CacheHitLatencyMeasurement --logger "console;verbosity=detailed"</c>.
/// </summary>
public sealed class CacheHitLatencyMeasurement(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Warmup = 300;
    private const int Samples = 2000;

    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var setting = await _host.AddSettingAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, setting);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task CacheHit_AddedLatencyOverTheProxysOwnOverhead()
    {
        using var proxy = new HttpClient { BaseAddress = _host.BaseAddress };
        using var upstream = new HttpClient { BaseAddress = _host.Upstream.BaseUrl };
        var body = Chat("measure the cache", temperature: 0);

        var (miss, _) = await SendAsync(proxy, ChatPath, body, null, bearer: _rawKey);
        Assert.Equal("MISS", miss);

        // The cache store step runs once the client has the whole answer; the request's usage event
        // is published after it: wait for that before expecting hits.
        await Gateway.Testing.Eventually.AssertAsync(() => _host.Events.Sent.Count >= 1, TimeSpan.FromSeconds(5), "the first request's usage event (after the cache store step)");

        var db = await _host.Redis.GetDatabaseAsync();
        var redisKey = _host.Redis.Key("measure:get");
        await db.StringSetAsync(redisKey, new byte[1024], TimeSpan.FromMinutes(1));
        List<double> hit = [], pipeline = [], forwarded = [], direct = [], redis = [];

        // Interleaved, so that the five see the same load on a shared machine.
        for (var i = 0; i < Warmup + Samples; i++)
        {
            var keep = i >= Warmup;
            await TimeAsync(hit, keep, async () => Assert.Equal("HIT", (await SendAsync(proxy, ChatPath, body, null, _rawKey)).Cached));
            await TimeAsync(pipeline, keep, async () => Assert.Equal(HttpStatusCode.BadRequest, (await SendAsync(proxy, ChatPath, body, "invalid", _rawKey)).Status));
            await TimeAsync(forwarded, keep, async () => Assert.Equal("MISS", (await SendAsync(proxy, ChatPath, body, "never", _rawKey)).Cached));
            await TimeAsync(direct, keep, async () => Assert.Equal(HttpStatusCode.OK, (await SendAsync(upstream, "/v1/chat/completions", body, null, "sk-any")).Status));
            await TimeAsync(redis, keep, async () => Assert.False((await db.StringGetAsync(redisKey)).IsNull));
        }

        output.WriteLine($"samples {Samples} each, interleaved, sequential, one connection each; milliseconds p50 / p99");
        Report("(a) cache hit through the proxy", hit);
        Report("(b) proxy pipeline ended at the cache step (400)", pipeline);
        Report("(c) forwarded miss (x-bt-use-cache: never)", forwarded);
        Report("(d) fake provider directly", direct);
        Report("(e) one Redis GET of a 1 KiB value (StackExchange.Redis, same server)", redis);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"hit added over the proxy's own overhead, p50 (a)-(b): {Percentile(hit, 0.5) - Percentile(pipeline, 0.5):0.000} ms"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"proxy overhead of a forwarded request, p50 (c)-(d): {Percentile(forwarded, 0.5) - Percentile(direct, 0.5):0.000} ms"));
        Assert.Single(_host.Upstream.Requests, r => r.Sequence == 1);
    }

    private void Report(string name, List<double> values)
        => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{name}: {Percentile(values, 0.5):0.000} / {Percentile(values, 0.99):0.000}"));

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(p * sorted.Count))];
    }

    private static async Task TimeAsync(List<double> into, bool keep, Func<Task> request)
    {
        var watch = Stopwatch.StartNew();
        await request();
        if (keep)
        {
            into.Add(watch.Elapsed.TotalMilliseconds);
        }
    }

    private static async Task<(string? Cached, HttpStatusCode Status)> SendAsync(HttpClient client, string path, string body, string? mode, string bearer)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        if (mode is not null)
        {
            request.Headers.Add("x-bt-use-cache", mode);
        }

        using var response = await client.SendAsync(request);
        _ = await response.Content.ReadAsByteArrayAsync();
        return (response.Headers.TryGetValues("x-bt-cached", out var values) ? values.Single() : null, response.StatusCode);
    }
}
