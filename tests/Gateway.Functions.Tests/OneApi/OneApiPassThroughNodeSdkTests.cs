using System.Text.Json.Nodes;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.OneApi;

/// <summary>
/// Issue 14's matrix for the passed-through targets with the official npm <c>openai</c> SDK
/// (<c>baseURL = &lt;proxy&gt;/api/v1</c>): OpenAI (<c>gpt-4o-mini</c>) and Azure (<c>azure/&lt;deployment&gt;</c>).
/// </summary>
public sealed class OneApiPassThroughNodeSdkTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _rawKey = await PassThroughTarget.AddKeyForBothAsync(_host);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task Chat_AnswersWithTheFakesUsageInTheAnswerAndTheEvent(string name)
    {
        var target = PassThroughTarget.Of(name);

        var result = await RunAsync(target, target.ChatModel, "chat");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        Assert.Equal("stop", (string?)result["finish"]);
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("node-user", (string?)received.ParseJsonBody()!["user"]);
        var prompt = FakeLlmTokens.CountWords("Be brief.") + FakeLlmTokens.CountWords("hello from node");
        await AssertUsageAsync(target, result, prompt, FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText));
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task Stream_TextReassemblesExactlyAndUsageChunkMatchesTheEvent(string name)
    {
        var target = PassThroughTarget.Of(name);
        _host.Upstream.Behavior.ResponseText = "A \"quoted\", multi-word\nanswer with ünïcode";

        var result = await RunAsync(target, target.ChatModel, "stream");

        Assert.Equal(_host.Upstream.Behavior.ResponseText, (string?)result["text"]);
        Assert.Equal("stop", (string?)result["finish"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"include_usage":true}"""), _host.Upstream.LastRequest!.ParseJsonBody()!["stream_options"]));
        var usageEvent = await AssertUsageAsync(
            target, result, FakeLlmTokens.CountWords("hello from node"), FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText));
        Assert.True(usageEvent.Streamed);
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task ToolRoundTrip_CallResultAnswer(string name)
    {
        var target = PassThroughTarget.Of(name);

        var result = await RunAsync(target, target.ChatModel, "tools");

        Assert.Equal("tool_calls", (string?)result["finish"]);
        Assert.Equal("get_weather", (string?)result["call"]!["name"]);
        Assert.Equal("""{"city":"get_weather:city"}""", (string?)result["call"]!["arguments"]);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        var sent = _host.Upstream.LastRequest!.ParseJsonBody()!["messages"]!.AsArray();
        Assert.Equal((string?)result["call"]!["id"], (string?)sent[1]!["tool_calls"]![0]!["id"]);
        Assert.Equal("tool", (string?)sent[2]!["role"]);
        Assert.Equal((string?)result["call"]!["id"], (string?)sent[2]!["tool_call_id"]);
        Assert.Equal("18 degrees", (string?)sent[2]!["content"]);
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task StreamedParallelToolCalls_ArgumentsReassembleExactly(string name)
    {
        var target = PassThroughTarget.Of(name);

        var result = await RunAsync(target, target.ChatModel, "stream-tools");

        Assert.Equal("tool_calls", (string?)result["finish"]);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""[{"name":"get_weather","arguments":"{\"city\":\"get_weather:city\"}"},{"name":"get_time","arguments":"{\"zone\":\"get_time:zone\"}"}]"""),
            new JsonArray(result["calls"]!.AsArray().Select(c => (JsonNode)new JsonObject { ["name"] = (string?)c!["name"], ["arguments"] = (string?)c["arguments"] }).ToArray())));
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task Image_Base64AndUrlPartsArriveUnchanged(string name)
    {
        var target = PassThroughTarget.Of(name);

        var result = await RunAsync(target, target.ChatModel, "image");

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)result["text"]);
        var content = _host.Upstream.LastRequest!.ParseJsonBody()!["messages"]![0]!["content"]!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""
            [{"type":"text","text":"What is this?"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},
             {"type":"image_url","image_url":{"url":"https://images.example/dog.webp","detail":"high"}}]
            """), content));
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task JsonSchema_ResponseFormatPassedThroughAndAnswerMatchesTheSchema(string name)
    {
        var target = PassThroughTarget.Of(name);

        var result = await RunAsync(target, target.ChatModel, "json");

        Assert.Equal("stop", (string?)result["finish"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"person:name","age":42}"""), JsonNode.Parse((string)result["text"]!)));
        var format = _host.Upstream.LastRequest!.ParseJsonBody()!["response_format"]!;
        Assert.Equal("json_schema", (string?)format["type"]);
        Assert.Equal("person", (string?)format["json_schema"]!["name"]);
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task Embeddings_ReachTheEmbeddingEndpointWithTheFakesUsage(string name)
    {
        var target = PassThroughTarget.Of(name);

        var result = await RunAsync(target, target.EmbeddingModel, "embeddings");

        Assert.Equal(FakeLlmBehavior.DefaultEmbeddingDimensions, (int)result["dimensions"]!);
        var prompt = FakeLlmTokens.CountWords("embed this text");
        Assert.Equal(prompt, (int)result["usage"]!["prompt_tokens"]!);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/embeddings" && e.Provider == target.Provider);
        Assert.Equal(target.EventModel(target.EmbeddingModel), usageEvent.Model);
        Assert.Equal(prompt, usageEvent.Usage!.PromptTokens);
    }

    private async Task<JsonNode> RunAsync(PassThroughTarget target, string model, string mode)
    {
        var result = await NodeSdkScript.RunAsync("openai-client.mjs", new Uri(_host.BaseAddress, "/api/v1").ToString(), _rawKey, model, mode);
        Assert.True(result["error"] is null, $"{mode}: {result.ToJsonString()}");
        target.AssertReached(_host.Upstream.LastRequest!, model, mode == "embeddings" ? "embeddings" : "chat/completions");
        return result;
    }

    private async Task<Gateway.Domain.Usage.UsageEventMessage> AssertUsageAsync(PassThroughTarget target, JsonNode result, int promptTokens, int completionTokens)
    {
        Assert.Equal(promptTokens, (int)result["usage"]!["prompt_tokens"]!);
        Assert.Equal(completionTokens, (int)result["usage"]!["completion_tokens"]!);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions" && e.Provider == target.Provider);
        Assert.Equal(target.EventModel(target.ChatModel), usageEvent.Model);
        Assert.Equal(promptTokens, usageEvent.Usage!.PromptTokens);
        Assert.Equal(completionTokens, usageEvent.Usage.CompletionTokens);
        return usageEvent;
    }
}
