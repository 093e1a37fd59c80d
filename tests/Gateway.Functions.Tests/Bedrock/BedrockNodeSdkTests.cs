using System.Text.Json.Nodes;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Bedrock;

/// <summary>
/// The official npm SDKs against the fake's Bedrock endpoints: <c>openai</c> with
/// <c>baseURL = &lt;proxy&gt;/api/v1</c> and a Bedrock model, and <c>@anthropic-ai/sdk</c> with
/// <c>baseURL = &lt;proxy&gt;/api/providers/bedrock/anthropic</c> (BricksLLM's native Bedrock paths).
/// </summary>
public sealed class BedrockNodeSdkTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var bedrock = await _host.AddBedrockSettingAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, bedrock);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task OpenAiChat_BedrockModel_AnswersWithFakesUsage()
    {
        var result = await OpenAiAsync("chat");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        Assert.Equal("stop", (string?)result["finish"]);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.Equal("bedrock", usageEvent.Provider);
        Assert.Equal(usageEvent.Usage!.PromptTokens, (int)result["usage"]!["prompt_tokens"]!);
        Assert.Equal(usageEvent.Usage.CompletionTokens, (int)result["usage"]!["completion_tokens"]!);
        Assert.Equal("node-user", (string?)_host.Upstream.LastRequest!.ParseJsonBody()!["metadata"]!["user_id"]);
    }

    [Fact]
    public async Task OpenAiStream_BedrockModel_TextReassemblesExactlyAndUsageMatchesEvent()
    {
        _host.Upstream.Behavior.ResponseText = "A \"quoted\", multi-word\nanswer with ünïcode";

        var result = await OpenAiAsync("stream");

        Assert.Equal(_host.Upstream.Behavior.ResponseText, (string?)result["text"]);
        Assert.Equal("stop", (string?)result["finish"]);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.True(usageEvent.Streamed);
        Assert.Equal(usageEvent.Usage!.PromptTokens, (int)result["usage"]!["prompt_tokens"]!);
        Assert.Equal(FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText), (int)result["usage"]!["completion_tokens"]!);
        Assert.Equal(usageEvent.Usage.CompletionTokens, (int)result["usage"]!["completion_tokens"]!);
    }

    [Fact]
    public async Task OpenAiToolRoundTrip_BedrockModel_CallResultAnswer()
    {
        var result = await OpenAiAsync("tools");

        Assert.Equal("tool_calls", (string?)result["finish"]);
        Assert.Equal("""{"city":"get_weather:city"}""", (string?)result["call"]!["arguments"]);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        var toolResult = _host.Upstream.LastRequest!.ParseJsonBody()!["messages"]![2]!["content"]![0]!;
        Assert.Equal((string?)result["call"]!["id"], (string?)toolResult["tool_use_id"]);
    }

    [Fact]
    public async Task OpenAiStreamedToolCalls_BedrockModel_ArgumentsReassembleExactly()
    {
        var result = await OpenAiAsync("stream-tools");

        var calls = result["calls"]!.AsArray();
        Assert.Equal(["get_weather", "get_time"], calls.Select(c => (string?)c!["name"]));
        Assert.Equal("""{"city":"get_weather:city"}""", (string?)calls[0]!["arguments"]);
        Assert.Equal("""{"zone":"get_time:zone"}""", (string?)calls[1]!["arguments"]);
    }

    [Fact]
    public async Task OpenAiImage_BedrockModel_Base64AndUrlSent()
    {
        var result = await OpenAiAsync("image");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        var content = _host.Upstream.LastRequest!.ParseJsonBody()!["messages"]![0]!["content"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}"""), content[1]!["source"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"url","url":"https://images.example/dog.webp"}"""), content[2]!["source"]));
    }

    [Fact]
    public async Task OpenAiJsonSchema_BedrockModel_ContentMatchesSchema()
    {
        var result = await OpenAiAsync("json");

        Assert.Equal("stop", (string?)result["finish"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"json_response:name","age":42}"""), JsonNode.Parse((string)result["text"]!)));
    }

    [Fact]
    public async Task AnthropicMessages_NativeBedrockPath_AnswersWithUsage()
    {
        var result = await AnthropicAsync("messages");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        Assert.Equal("end_turn", (string?)result["stop"]);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/providers/bedrock/anthropic/v1/messages");
        Assert.Equal("bedrock", usageEvent.Provider);
        Assert.Equal("node-user", usageEvent.UserId);
        Assert.Equal((int)result["usage"]!["input_tokens"]!, usageEvent.Usage!.PromptTokens);
        Assert.Equal((int)result["usage"]!["output_tokens"]!, usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task AnthropicStream_NativeBedrockPath_EveryEventInOrderAndEventHasUsage()
    {
        _host.Upstream.Behavior.ResponseText = "Bedrock's \"stream\" of ünïcode\nwords";

        var result = await AnthropicAsync("stream");

        Assert.Equal(_host.Upstream.Behavior.ResponseText, (string?)result["text"]);
        var events = result["events"]!.AsArray().Select(e => (string)e!).ToList();
        Assert.Equal("message_start", events[0]);
        Assert.Equal("message_stop", events[^1]);
        Assert.Contains("message_delta", events);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/providers/bedrock/anthropic/v1/messages");
        Assert.True(usageEvent.Streamed);
        Assert.Equal((int)result["usage"]!["input_tokens"]!, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText), usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task AnthropicComplete_NativeBedrockPath_Answers()
    {
        var result = await AnthropicAsync("complete");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        Assert.Equal("stop_sequence", (string?)result["stop"]);
        var body = _host.Upstream.LastRequest!.ParseJsonBody()!;
        Assert.Equal(BedrockTestSetup.InvokePath(BedrockTestSetup.Model, stream: false), _host.Upstream.LastRequest.Path);
        Assert.Equal("\n\nHuman: hello from node\n\nAssistant:", (string?)body["prompt"]);
        Assert.Equal("bedrock-2023-05-31", (string?)body["anthropic_version"]);
    }

    [Fact]
    public async Task AnthropicCompleteStream_NativeBedrockPath_TextReassembles()
    {
        var result = await AnthropicAsync("complete-stream");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        Assert.Equal("stop_sequence", (string?)result["stop"]);
        Assert.Equal(BedrockTestSetup.InvokePath(BedrockTestSetup.Model, stream: true), _host.Upstream.LastRequest!.Path);
    }

    private async Task<JsonNode> OpenAiAsync(string mode)
    {
        var result = await NodeSdkScript.RunAsync("openai-client.mjs", new Uri(_host.BaseAddress, "/api/v1").ToString(), _rawKey, BedrockTestSetup.Model, mode);
        Assert.True(result["error"] is null, $"{mode}: {result.ToJsonString()}");
        return result;
    }

    private async Task<JsonNode> AnthropicAsync(string mode)
    {
        var baseUrl = new Uri(_host.BaseAddress, "/api/providers/bedrock/anthropic").ToString();
        var result = await NodeSdkScript.RunAsync("anthropic-client.mjs", baseUrl, _rawKey, mode, BedrockTestSetup.Model);
        Assert.True(result["error"] is null, $"{mode}: {result.ToJsonString()}");
        return result;
    }
}
