using System.Net;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Routing;

/// <summary>Weighted rotation over a key's settings of one provider, with a circuit breaker per setting.</summary>
public sealed class RotationHealthTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new(new()
    {
        ["Rotation:MinimumThroughput"] = "2",
        ["Rotation:FailureRatio"] = "0.5",
        ["Rotation:SamplingDuration"] = "00:01:00",
        ["Rotation:BreakDuration"] = "00:10:00",
    });

    private readonly List<FakeLlmServer> _upstreams = [];

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        for (var i = 0; i < 3; i++)
        {
            _upstreams.Add(await FakeLlmServer.StartAsync());
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }

        await _host.DisposeAsync();
    }

    [Fact]
    public async Task OneOfThreeSettingsAlways500_AfterItsBreakerOpens_ItGetsNoTrafficForTheCoolDown()
    {
        var settings = new List<Domain.Providers.ProviderSetting>();
        foreach (var upstream in _upstreams)
        {
            settings.Add(await _host.AddSettingAsync("openai", ProxyTestHost.UpstreamOpenAiKey, new() { ["baseUrl"] = upstream.BaseUrl.ToString() }));
        }

        var (key, raw) = await _host.AddKeyAsync(k => k.RotationEnabled = true, [.. settings]);
        var broken = _upstreams[1];
        broken.Behavior.FailAlways(FakeLlmFault.InternalServerError());
        using var client = _host.CreateClient(raw);

        for (var i = 0; i < 12; i++)
        {
            using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o"));
            // A failure before the first byte is retried once on the next healthy setting.
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(2, broken.Requests.Count);
        Assert.True(_upstreams[0].Requests.Count >= 4, $"first setting got {_upstreams[0].Requests.Count}");
        Assert.True(_upstreams[2].Requests.Count >= 4, $"third setting got {_upstreams[2].Requests.Count}");

        // The failed attempts were billed as their own events, correlated with the answer.
        var failed = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId && e.Status == 500);
        Assert.Equal(settings[1].Id, failed.SettingId);
        Assert.NotNull(failed.CorrelationId);
        await _host.Events.WaitForAsync(e => e.CorrelationId == failed.CorrelationId && e.Status == 200);
    }

    [Fact]
    public async Task EqualWeights_SpreadRequestsEvenly_WeightTwoGetsTwice()
    {
        var first = await _host.AddSettingAsync("openai", ProxyTestHost.UpstreamOpenAiKey, new() { ["baseUrl"] = _upstreams[0].BaseUrl.ToString(), ["weight"] = "2" });
        var second = await _host.AddSettingAsync("openai", ProxyTestHost.UpstreamOpenAiKey, new() { ["baseUrl"] = _upstreams[1].BaseUrl.ToString() });
        var (_, raw) = await _host.AddKeyAsync(k => k.RotationEnabled = true, first, second);
        using var client = _host.CreateClient(raw);

        for (var i = 0; i < 9; i++)
        {
            using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.Equal(6, _upstreams[0].Requests.Count);
        Assert.Equal(3, _upstreams[1].Requests.Count);
    }
}
