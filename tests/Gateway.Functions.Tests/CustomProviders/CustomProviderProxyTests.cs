using System.Net;
using System.Text.Json.Nodes;
using Gateway.Domain.Config;
using Gateway.Domain.Providers;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.CustomProviders;

/// <summary>
/// A custom provider at <c>/api/custom/providers/{provider}/{path}</c>, configured with nested
/// gjson locations, in front of the fake provider's OpenAI chat endpoint.
/// </summary>
public sealed class CustomProviderProxyTests : IAsyncLifetime
{
    private const string Credential = "sk-acme-upstream";
    private readonly ProxyTestHost _host = new();
    private string _provider = null!;
    private string _raw = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _provider = "acme" + Guid.NewGuid().ToString("n")[..8];
        var writer = new ConfigCacheWriter(_host.Redis);
        await writer.UpsertAsync(new CustomProvider
        {
            Id = Guid.NewGuid().ToString(),
            Provider = _provider,
            AuthenticationParam = "token",
            RouteConfigs =
            [
                new CustomRouteConfig
                {
                    Path = "/chat/generate",
                    TargetUrl = _host.Upstream.BaseUrl + "v1/chat/completions",
                    ModelLocation = "model",
                    RequestPromptLocation = "messages.#.content",
                    ResponseCompletionLocation = "choices.0.message.content",
                    StreamLocation = "stream",
                    StreamEndWord = "[DONE]",
                    StreamResponseCompletionLocation = "choices.0.delta.content",
                    StreamMaxEmptyMessages = 10,
                },
            ],
        });
        var setting = TestData.NewSetting(_provider);
        setting.EncryptedSecrets = _host.Protector.Protect(new Dictionary<string, string> { ["token"] = Credential });
        await writer.UpsertAsync(setting);
        await _host.WaitUntilAsync(s => s.CustomProviders.ContainsKey(_provider) && s.ProviderSettings.ContainsKey(setting.Id));
        (_, _raw) = await _host.AddKeyAsync(null, setting);
        _host.Upstream.Behavior.ExpectedOpenAiApiKey = Credential;
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    private HttpRequestMessage Generate(bool stream, string path = "chat/generate")
        => ProxyAccessTests.Json($"/api/custom/providers/{_provider}/{path}",
            $$"""{"model":"acme-large","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"system","content":"be brief"},{"role":"user","content":"say hello"}]}""");

    [Fact]
    public async Task JsonCall_ForwardsWithTheConfiguredCredential_UsageFromTheConfiguredLocations()
    {
        using var client = _host.CreateClient(_raw);

        using var response = await client.SendAsync(Generate(stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!["content"]);
        var upstream = _host.Upstream.LastRequest!;
        Assert.Equal("/v1/chat/completions", upstream.Path);
        Assert.Equal("Bearer " + Credential, upstream.Header("Authorization"));
        var recorded = await _host.Events.WaitForAsync(e => e.Provider == _provider);
        Assert.Equal("acme-large", recorded.Model);
        Assert.Equal(200, recorded.Status);
        Assert.Null(recorded.Usage);
        Assert.Equal("be briefsay hello", recorded.PromptText);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, recorded.CompletionText);
    }

    [Fact]
    public async Task StreamedCall_RelaysTheStream_CompletionReadFromEachEvent()
    {
        using var client = _host.CreateClient(_raw);

        using var response = await client.SendAsync(Generate(stream: true), HttpCompletionOption.ResponseHeadersRead);
        var events = await ProxyForwardingTests.ReadSseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[DONE]", events[^1]);
        // A custom upstream's body is never rewritten: no usage chunk is asked for.
        Assert.Null(_host.Upstream.LastRequest!.ParseJsonBody()!["stream_options"]);
        var recorded = await _host.Events.WaitForAsync(e => e.Provider == _provider && e.Streamed);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, recorded.CompletionText);
        Assert.Equal("be briefsay hello", recorded.PromptText);
    }

    [Fact]
    public async Task UnknownPathOrProvider_Gets404WithoutAnUpstreamCall()
    {
        using var client = _host.CreateClient(_raw);

        using var unknownPath = await client.SendAsync(Generate(stream: false, path: "chat/other"));
        using var unknownProvider = await client.SendAsync(ProxyAccessTests.Json("/api/custom/providers/nobody/chat/generate", "{}"));

        Assert.Equal(HttpStatusCode.NotFound, unknownPath.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknownProvider.StatusCode);
        Assert.Empty(_host.Upstream.Requests);
    }
}
