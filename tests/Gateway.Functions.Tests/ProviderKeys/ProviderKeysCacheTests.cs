using System.Net;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using static Gateway.Functions.Tests.ProviderKeys.ProviderKeysSdkTests;

namespace Gateway.Functions.Tests.ProviderKeys;

/// <summary>The response cache for provider-key calls: scoped to the bearer, mode from the header or <c>Proxy__ProviderKeysCacheMode</c>.</summary>
public sealed class ProviderKeysCacheTests
{
    private const string OtherOpenAiKey = "sk-proj-another-callers-key-0002";

    [Fact]
    public async Task SamePrompt_TwoProviderKeys_NeverShareAnEntry_TheSameKeyHits()
    {
        await using var host = await StartAsync(null);

        Assert.Equal("MISS", await CachedHeaderAsync(host, OpenAiKey));
        Assert.Equal("MISS", await CachedHeaderAsync(host, OtherOpenAiKey));
        Assert.Equal("HIT", await CachedHeaderAsync(host, OpenAiKey));
        Assert.Equal("HIT", await CachedHeaderAsync(host, OtherOpenAiKey));

        // Each key's own upstream call filled its own entry.
        var sent = host.Upstream.Requests;
        Assert.Equal(2, sent.Count);
        Assert.Equal("Bearer " + OpenAiKey, sent[0].Header("Authorization"));
        Assert.Equal("Bearer " + OtherOpenAiKey, sent[1].Header("Authorization"));
        var hit = await host.Events.WaitForAsync(e => e.Cached);
        Assert.Equal(string.Empty, hit.KeyId);
        Assert.Equal(200, hit.Status);
    }

    [Fact]
    public async Task CacheModeNever_NoEntryUnlessTheRequestAsksForIt()
    {
        await using var host = await StartAsync("never");

        Assert.Equal("MISS", await CachedHeaderAsync(host, OpenAiKey));
        Assert.Equal("MISS", await CachedHeaderAsync(host, OpenAiKey));
        Assert.Equal(2, host.Upstream.Requests.Count);

        Assert.Equal("MISS", await CachedHeaderAsync(host, OpenAiKey, "always"));
        Assert.Equal("HIT", await CachedHeaderAsync(host, OpenAiKey, "always"));
        Assert.Equal(3, host.Upstream.Requests.Count);
    }

    private static async Task<ProxyTestHost> StartAsync(string? cacheMode)
    {
        var settings = new Dictionary<string, string?> { ["Proxy:AllowProviderKeys"] = "true" };
        if (cacheMode is not null)
        {
            settings["Proxy:ProviderKeysCacheMode"] = cacheMode;
        }

        var host = new ProxyTestHost(settings);
        await host.InitializeAsync();
        return host;
    }

    private static async Task<string?> CachedHeaderAsync(ProxyTestHost host, string bearer, string? mode = null)
    {
        using var client = host.CreateClient(bearer);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = ChatBody("gpt-4o-mini", "what is two plus two") };
        if (mode is not null)
        {
            request.Headers.Add("x-bt-use-cache", mode);
        }

        var events = host.Events.Sent.Count;
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\"choices\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The client has the whole body (Content-Length) before the proxy's store step has run; the
        // usage event is published after it, so once it is out the entry is stored.
        await Eventually.AssertAsync(() => host.Events.Sent.Count > events, TimeSpan.FromSeconds(5), "the request's usage event");
        return response.Headers.TryGetValues("x-bt-cached", out var values) ? values.Single() : null;
    }
}
