using System.Text.Json.Nodes;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using static Gateway.Functions.Tests.ProviderKeys.ProviderKeysSdkTests;

namespace Gateway.Functions.Tests.ProviderKeys;

/// <summary>The official OpenAI TypeScript SDK (npm <c>openai</c>) with <c>baseURL = &lt;proxy&gt;/api/v1</c> and the caller's own provider key.</summary>
public sealed class ProviderKeysNodeSdkTests : IAsyncLifetime
{
    private const string Claude = "claude-3-5-haiku-20241022";

    private readonly ProxyTestHost _host = new(new() { ["Proxy:AllowProviderKeys"] = "true" });

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Chat_OpenAiKey_ForwardedWithThatBearer()
    {
        var result = await OpenAiNodeClient.RunAsync(_host.BaseAddress, OpenAiKey, "gpt-4o-mini", "chat");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        var received = Assert.Single(_host.Upstream.Requests);
        Assert.Equal("Bearer " + OpenAiKey, received.Header("Authorization"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        AssertProviderKeyEvent(usageEvent, "openai", "gpt-4o-mini");
        Assert.Equal((int)result["usage"]!["prompt_tokens"]!, usageEvent.Usage!.PromptTokens);
        Assert.Equal((int)result["usage"]!["completion_tokens"]!, usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Chat_AnthropicKey_TranslatedWithTheKeyInXApiKey()
    {
        var result = await OpenAiNodeClient.RunAsync(_host.BaseAddress, AnthropicKey, Claude, "chat");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        Assert.Equal("stop", (string?)result["finish"]);
        var received = Assert.Single(_host.Upstream.Requests);
        Assert.Equal("/v1/messages", received.Path);
        Assert.Equal(AnthropicKey, received.Header("x-api-key"));
        Assert.Null(received.Header("Authorization"));
        var prompt = FakeLlmTokens.CountWords("Be brief.") + FakeLlmTokens.CountWords("hello from node");
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        AssertProviderKeyEvent(usageEvent, "anthropic", Claude);
        Assert.Equal(prompt, usageEvent.Usage!.PromptTokens);
    }

    [Fact]
    public async Task Stream_AnthropicKey_TextReassemblesAndUsageMatchesTheEvent()
    {
        _host.Upstream.Behavior.ResponseText = "A \"streamed\" answer,\nwith ünïcode";

        var result = await OpenAiNodeClient.RunAsync(_host.BaseAddress, AnthropicKey, Claude, "stream");

        Assert.Equal(_host.Upstream.Behavior.ResponseText, (string?)result["text"]);
        Assert.Equal(AnthropicKey, _host.Upstream.LastRequest!.Header("x-api-key"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        AssertProviderKeyEvent(usageEvent, "anthropic", Claude);
        Assert.True(usageEvent.Streamed);
        Assert.Equal(usageEvent.Usage!.PromptTokens, (int)result["usage"]!["prompt_tokens"]!);
        Assert.Equal(FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText), usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Embeddings_OpenAiKey_ForwardedWithThatBearer()
    {
        var result = await OpenAiNodeClient.RunAsync(_host.BaseAddress, OpenAiKey, "text-embedding-3-small", "embeddings");

        Assert.Equal(FakeLlmBehavior.DefaultEmbeddingDimensions, (int)result["dimensions"]!);
        var received = Assert.Single(_host.Upstream.Requests);
        Assert.Equal("/v1/embeddings", received.Path);
        Assert.Equal("Bearer " + OpenAiKey, received.Header("Authorization"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/embeddings");
        AssertProviderKeyEvent(usageEvent, "openai", "text-embedding-3-small");
        Assert.Equal(FakeLlmTokens.CountWords("embed this text"), usageEvent.Usage!.PromptTokens);
    }

    [Fact]
    public async Task Chat_AzureModel_SdkRaises400AndNothingSent()
    {
        var result = await OpenAiNodeClient.RunAsync(_host.BaseAddress, OpenAiKey, "azure/my-deployment", "chat");

        Assert.Equal(400, (int)result["error"]!["status"]!);
        Assert.Contains("gateway key with a provider setting", (string?)result["error"]!["message"], StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }
}

/// <summary>The npm <c>openai</c> SDK (<c>tests/node/openai-client.mjs</c>) against the proxy's one API with <paramref name="apiKey"/>.</summary>
internal static class OpenAiNodeClient
{
    public static Task<JsonNode> RunAsync(Uri proxy, string apiKey, string model, string mode)
        => NodeSdkScript.RunAsync("openai-client.mjs", new Uri(proxy, "/api/v1").ToString(), apiKey, model, mode);
}
