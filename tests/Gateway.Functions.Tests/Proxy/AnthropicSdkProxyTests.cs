using System.Text.Json.Nodes;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>The official Anthropic TypeScript SDK (npm <c>@anthropic-ai/sdk</c>) through the proxy, base URL swapped.</summary>
public sealed class AnthropicSdkProxyTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var setting = await _host.AddSettingAsync("anthropic", apiKey: "sk-ant-upstream-1");
        (_, _rawKey) = await _host.AddKeyAsync(null, setting);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Messages_AnthropicSdk_AnswersWithUsageAndUpstreamGetsProviderKey()
    {
        var result = await RunSdkAsync("messages", _rawKey);

        Assert.Null(result["error"]);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        Assert.Equal(3, (int)result["usage"]!["input_tokens"]!);
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/v1/messages", received.Path);
        Assert.Equal("sk-ant-upstream-1", received.Header("x-api-key"));
        Assert.NotNull(received.Header("anthropic-version"));
        Assert.Null(received.Header("Authorization"));

        var usageEvent = await _host.Events.WaitForAsync(e => e.Provider == "anthropic");
        Assert.Equal("node-user", usageEvent.UserId);
        Assert.Equal(3, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Stream_AnthropicSdk_ReceivesEveryEventInOrderAndEventHasUsage()
    {
        var result = await RunSdkAsync("stream", _rawKey);

        Assert.Null(result["error"]);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        var events = result["events"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal("message_start", events[0]);
        Assert.Equal("message_stop", events[^1]);
        Assert.Contains("message_delta", events);

        var usageEvent = await _host.Events.WaitForAsync(e => e.Provider == "anthropic" && e.Streamed);
        Assert.Equal(3, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task CountTokens_AnthropicSdk_PassesThrough()
    {
        var result = await RunSdkAsync("count", _rawKey);
        Assert.Equal(3, (int)result["input_tokens"]!);
        Assert.Equal("/v1/messages/count_tokens", _host.Upstream.LastRequest!.Path);
    }

    [Fact]
    public async Task UnknownKey_AnthropicSdk_SurfacesAuthenticationErrorInAnthropicShape()
    {
        var result = await RunSdkAsync("messages", "gw-unknown");

        Assert.Equal(401, (int)result["error"]!["status"]!);
        Assert.Equal("authentication_error", (string?)result["error"]!["type"]);
        Assert.StartsWith("[BricksLLM]", (string?)result["error"]!["message"], StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }

    private Task<JsonNode> RunSdkAsync(string mode, string key)
        => NodeSdkScript.RunAsync("anthropic-client.mjs", new Uri(_host.BaseAddress, "/api/providers/anthropic").ToString(), key, mode);
}
