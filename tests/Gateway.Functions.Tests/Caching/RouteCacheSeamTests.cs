using System.Net.Http.Headers;
using System.Text;
using Gateway.Domain.Routing;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Tests.Proxy;
using static Gateway.Functions.Tests.Caching.CacheTestClient;

namespace Gateway.Functions.Tests.Caching;

/// <summary>
/// A route's <c>cacheConfig</c> as the cache step sees it: <see cref="ProxyContext.RouteCache"/>,
/// which the routing steps set for requests through <c>/api/routes/...</c>. Here a stand-in step
/// sets it from a test header, so the cache's side of the seam is tested on its own.
/// </summary>
public sealed class RouteCacheSeamTests : IAsyncLifetime
{
    private const string RouteHeader = "x-test-route-cache";

    private readonly ProxyTestHost _host = new(services: static s => s.AddProxyStep<StandInRouteStep>(ProxyStepOrder.Limits + 50));
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var setting = await _host.AddSettingAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, setting);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    private async Task<string?> SendAsync(string body, string route, string? mode = null)
    {
        using var client = new HttpClient { BaseAddress = _host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, ChatPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _rawKey);
        request.Headers.Add(RouteHeader, route);
        if (mode is not null)
        {
            request.Headers.Add("x-bt-use-cache", mode);
        }

        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return response.Headers.GetValues("x-bt-cached").Single();
    }

    [Fact]
    public async Task RouteWithCacheEnabled_CachesEvenWithTemperature_WithTheRoutesTtl()
    {
        var body = Chat("route question", temperature: 0.8);

        var first = await SendAsync(body, "on:30m");
        var second = await SendAsync(body, "on:30m");

        Assert.Equal(("MISS", "HIT"), (first, second));
        Assert.Single(_host.Upstream.Requests);
        var (_, _, ttl) = Assert.Single(await EntriesAsync(_host.Prefix));
        Assert.InRange(ttl!.Value, TimeSpan.FromMinutes(25), TimeSpan.FromMinutes(30));
    }

    [Fact]
    public async Task RouteWithCacheDisabled_DoesNotCache_UnlessTheRequestAsks()
    {
        var body = Chat("route question", temperature: 0);

        await SendAsync(body, "off");
        var second = await SendAsync(body, "off");
        await SendAsync(body, "off", mode: "always");
        await CacheTestClient.UntilStoredAsync(_host, 1);
        var asked = await SendAsync(body, "off", mode: "always");

        Assert.Equal(("MISS", "HIT"), (second, asked));
        Assert.Equal(3, _host.Upstream.Requests.Count);
    }

    /// <summary>Sets the route's cacheConfig from <c>x-test-route-cache</c>: <c>on:&lt;ttl&gt;</c> or <c>off</c>.</summary>
    internal sealed class StandInRouteStep : IProxyStep
    {
        public ValueTask<StepResult> RunAsync(ProxyContext context)
        {
            var value = context.Http.Request.Headers[RouteHeader].ToString();
            if (value.Length > 0)
            {
                context.RouteCache = value.StartsWith("on:", StringComparison.Ordinal)
                    ? new RouteCacheConfig { Enabled = true, Ttl = value[3..] }
                    : new RouteCacheConfig { Enabled = false };
            }

            return StepResult.ContinueTask;
        }
    }
}
