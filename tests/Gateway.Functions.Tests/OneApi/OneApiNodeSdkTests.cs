using System.Text.Json.Nodes;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.OneApi;

/// <summary>The official OpenAI TypeScript SDK (npm <c>openai</c>) with <c>baseURL = &lt;proxy&gt;/api/v1</c>.</summary>
public sealed class OneApiNodeSdkTests : IAsyncLifetime
{
    private const string Claude = "claude-3-5-haiku-20241022";

    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var anthropic = await _host.AddSettingAsync("anthropic", apiKey: "sk-ant-upstream-1");
        var openAi = await _host.AddSettingAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, anthropic, openAi);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Chat_ClaudeModel_AnswersWithFakesUsage()
    {
        var result = await RunAsync(Claude, "chat");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        Assert.Equal("stop", (string?)result["finish"]);
        var prompt = FakeLlmTokens.CountWords("Be brief.") + FakeLlmTokens.CountWords("hello from node");
        Assert.Equal(prompt, (int)result["usage"]!["prompt_tokens"]!);
        Assert.Equal("node-user", (string?)_host.Upstream.LastRequest!.ParseJsonBody()!["metadata"]!["user_id"]);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.Equal("anthropic", usageEvent.Provider);
        Assert.Equal(prompt, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Stream_ClaudeModel_TextReassemblesExactlyAndUsageChunkMatchesEvent()
    {
        _host.Upstream.Behavior.ResponseText = "A \"quoted\", multi-word\nanswer with ünïcode";

        var result = await RunAsync(Claude, "stream");

        Assert.Equal(_host.Upstream.Behavior.ResponseText, (string?)result["text"]);
        Assert.Equal("stop", (string?)result["finish"]);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.True(usageEvent.Streamed);
        Assert.Equal(usageEvent.Usage!.PromptTokens, (int)result["usage"]!["prompt_tokens"]!);
        Assert.Equal(usageEvent.Usage.CompletionTokens, (int)result["usage"]!["completion_tokens"]!);
        Assert.Equal(FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText), usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task ToolRoundTrip_ClaudeModel_CallResultAnswer()
    {
        var result = await RunAsync(Claude, "tools");

        Assert.Equal("tool_calls", (string?)result["finish"]);
        Assert.Equal("get_weather", (string?)result["call"]!["name"]);
        Assert.Equal("""{"city":"get_weather:city"}""", (string?)result["call"]!["arguments"]);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        var toolResult = _host.Upstream.LastRequest!.ParseJsonBody()!["messages"]![2]!["content"]![0]!;
        Assert.Equal("tool_result", (string?)toolResult["type"]);
        Assert.Equal((string?)result["call"]!["id"], (string?)toolResult["tool_use_id"]);
    }

    [Fact]
    public async Task StreamedParallelToolCalls_ClaudeModel_ArgumentsReassembleExactly()
    {
        var result = await RunAsync(Claude, "stream-tools");

        Assert.Equal("tool_calls", (string?)result["finish"]);
        var calls = result["calls"]!.AsArray();
        Assert.Equal(2, calls.Count);
        Assert.Equal("get_weather", (string?)calls[0]!["name"]);
        Assert.Equal("""{"city":"get_weather:city"}""", (string?)calls[0]!["arguments"]);
        Assert.Equal("get_time", (string?)calls[1]!["name"]);
        Assert.Equal("""{"zone":"get_time:zone"}""", (string?)calls[1]!["arguments"]);
    }

    [Fact]
    public async Task Image_ClaudeModel_Base64AndUrlSent()
    {
        var result = await RunAsync(Claude, "image");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        var content = _host.Upstream.LastRequest!.ParseJsonBody()!["messages"]![0]!["content"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}"""), content[1]!["source"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"url","url":"https://images.example/dog.webp"}"""), content[2]!["source"]));
    }

    [Fact]
    public async Task JsonSchema_ClaudeModel_ContentMatchesSchema()
    {
        var result = await RunAsync(Claude, "json");

        Assert.Equal("stop", (string?)result["finish"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"json_response:name","age":42}"""), JsonNode.Parse((string)result["text"]!)));
    }

    [Fact]
    public async Task Embeddings_OpenAiModel_Answers()
    {
        var result = await RunAsync("text-embedding-3-small", "embeddings");

        Assert.Equal(FakeLlmBehavior.DefaultEmbeddingDimensions, (int)result["dimensions"]!);
        Assert.Equal("/v1/embeddings", _host.Upstream.LastRequest!.Path);
    }

    [Fact]
    public async Task Chat_UnknownModel_SdkRaises400()
    {
        var result = await RunAsync("mystery-model-1", "chat");

        Assert.Equal(400, (int)result["error"]!["status"]!);
        Assert.Contains("'mystery-model-1'", (string?)result["error"]!["message"], StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }

    private async Task<JsonNode> RunAsync(string model, string mode)
    {
        var result = await NodeSdkScript.RunAsync("openai-client.mjs", new Uri(_host.BaseAddress, "/api/v1").ToString(), _rawKey, model, mode);
        Assert.True(mode == "chat" && model.StartsWith("mystery", StringComparison.Ordinal) || result["error"] is null, $"{mode}: {result.ToJsonString()}");
        return result;
    }
}
