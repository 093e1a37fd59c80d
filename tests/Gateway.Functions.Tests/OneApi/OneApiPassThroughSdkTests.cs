using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Gateway.Functions.Tests.OneApi;

/// <summary>
/// Issue 14's matrix for the passed-through targets: the official OpenAI .NET SDK with
/// <c>Endpoint = &lt;proxy&gt;/api/v1</c> reaching the fake's OpenAI (<c>gpt-4o-mini</c>) and Azure
/// (<c>azure/&lt;deployment&gt;</c>) endpoints: chat, streaming, tool round trip, images, JSON mode, embeddings.
/// </summary>
public sealed class OneApiPassThroughSdkTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _rawKey = await PassThroughTarget.AddKeyForBothAsync(_host);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(_host.BaseAddress, "/api/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task Chat_AnswersWithTheFakesUsageInTheAnswerAndTheEvent(string name)
    {
        var target = PassThroughTarget.Of(name);

        ChatCompletion completion = await Chat(target).CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello to the gateway")],
            new ChatCompletionOptions { Temperature = 0.5f, EndUserId = "sdk-user" });

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var prompt = FakeLlmTokens.CountWords("Be brief.") + FakeLlmTokens.CountWords("Say hello to the gateway");
        var completionTokens = FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText);
        Assert.Equal(prompt, completion.Usage.InputTokenCount);
        Assert.Equal(completionTokens, completion.Usage.OutputTokenCount);
        var received = _host.Upstream.LastRequest!;
        target.AssertReached(received, target.ChatModel, "chat/completions");
        var body = received.ParseJsonBody()!;
        Assert.Equal(0.5, (double)body["temperature"]!, 3);
        Assert.Equal("sdk-user", (string?)body["user"]);
        Assert.Equal("system", (string?)body["messages"]![0]!["role"]);
        await AssertUsageEventAsync(target, "/api/v1/chat/completions", prompt, completionTokens, streamed: false);
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task StreamingChat_TextReassemblesExactlyWithTheFakesUsage(string name)
    {
        var target = PassThroughTarget.Of(name);
        _host.Upstream.Behavior.ResponseText = "Streamed past \"the\" gateway: ünïcode,\nnew lines and all.";
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in Chat(target).CompleteChatStreamingAsync([new UserChatMessage("one two three four")]))
        {
            text.AppendJoin(string.Empty, update.ContentUpdate.Select(p => p.Text));
            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(_host.Upstream.Behavior.ResponseText, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        var completionTokens = FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText);
        Assert.Equal(4, usage!.InputTokenCount);
        Assert.Equal(completionTokens, usage.OutputTokenCount);
        var received = _host.Upstream.LastRequest!;
        target.AssertReached(received, target.ChatModel, "chat/completions");
        Assert.True((bool)received.ParseJsonBody()!["stream"]!);
        await AssertUsageEventAsync(target, "/api/v1/chat/completions", 4, completionTokens, streamed: true);
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task ToolRoundTrip_CallThenResultThenAnswer(string name)
    {
        var target = PassThroughTarget.Of(name);
        var client = Chat(target);
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Paris?")];
        var options = new ChatCompletionOptions { Tools = { OneApiSdkTests.Weather } };

        ChatCompletion first = await client.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"get_weather:city"}""", call.FunctionArguments.ToString());
        var offered = _host.Upstream.LastRequest!.ParseJsonBody()!["tools"]![0]!;
        Assert.Equal("function", (string?)offered["type"]);
        Assert.Equal("get_weather", (string?)offered["function"]!["name"]);
        Assert.Equal("city", (string?)offered["function"]!["parameters"]!["required"]![0]);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18 degrees and sunny"));
        ChatCompletion answer = await client.CompleteChatAsync(messages, options);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, answer.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, answer.FinishReason);
        var received = _host.Upstream.LastRequest!;
        target.AssertReached(received, target.ChatModel, "chat/completions");
        var sent = received.ParseJsonBody()!["messages"]!.AsArray();
        Assert.Equal(3, sent.Count);
        Assert.Equal(call.Id, (string?)sent[1]!["tool_calls"]![0]!["id"]);
        Assert.Equal("""{"city":"get_weather:city"}""", (string?)sent[1]!["tool_calls"]![0]!["function"]!["arguments"]);
        Assert.Equal("tool", (string?)sent[2]!["role"]);
        Assert.Equal(call.Id, (string?)sent[2]!["tool_call_id"]);
        Assert.Equal("18 degrees and sunny", (string?)sent[2]!["content"]);
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task StreamingParallelToolCalls_ArgumentsReassembleExactly(string name)
    {
        var target = PassThroughTarget.Of(name);
        var calls = new SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)>();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in Chat(target).CompleteChatStreamingAsync(
            [new UserChatMessage("Weather and time in Paris?")], new ChatCompletionOptions { Tools = { OneApiSdkTests.Weather, OneApiSdkTests.Time } }))
        {
            foreach (var part in update.ToolCallUpdates)
            {
                if (part.ToolCallId is { } id)
                {
                    calls[part.Index] = (id, part.FunctionName, new StringBuilder());
                }

                calls[part.Index].Arguments.Append(part.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
            usage = update.Usage ?? usage;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(["get_weather", "get_time"], calls.Values.Select(c => c.Name));
        Assert.NotEqual(calls[0].Id, calls[1].Id);
        Assert.Equal("""{"city":"get_weather:city"}""", calls[0].Arguments.ToString());
        Assert.Equal("""{"zone":"get_time:zone"}""", calls[1].Arguments.ToString());
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions" && e.Provider == target.Provider);
        Assert.True(usage!.OutputTokenCount > 0);
        Assert.Equal(FakeLlmTokens.CountWords("Weather and time in Paris?"), usageEvent.Usage!.PromptTokens);
        Assert.Equal(usage.OutputTokenCount, usageEvent.Usage.CompletionTokens);
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task ImageInput_UrlAndBase64PartsArriveUnchanged(string name)
    {
        var target = PassThroughTarget.Of(name);
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF };
        var dataUrl = "data:image/png;base64," + Convert.ToBase64String(png);

        ChatCompletion completion = await Chat(target).CompleteChatAsync(
            [new UserChatMessage(
                ChatMessageContentPart.CreateTextPart("Compare these"),
                ChatMessageContentPart.CreateImagePart(new Uri("https://images.example/cat.jpg?size=large&v=2"), ChatImageDetailLevel.High),
                ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png", ChatImageDetailLevel.Low))]);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        var received = _host.Upstream.LastRequest!;
        target.AssertReached(received, target.ChatModel, "chat/completions");
        var content = received.ParseJsonBody()!["messages"]![0]!["content"]!.AsArray();
        Assert.Equal(3, content.Count);
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"type":"image_url","image_url":{"url":"https://images.example/cat.jpg?size=large&v=2","detail":"high"}}"""), content[1]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse($$$"""{"type":"image_url","image_url":{"url":"{{{dataUrl}}}","detail":"low"}}"""), content[2]));
        Assert.Equal(png, Convert.FromBase64String(((string)content[2]!["image_url"]!["url"]!)["data:image/png;base64,".Length..]));
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task JsonMode_ResponseFormatPassedThroughAndAnswerIsJson(string name)
    {
        var target = PassThroughTarget.Of(name);

        ChatCompletion completion = await Chat(target).CompleteChatAsync(
            [new UserChatMessage("Answer in JSON")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)JsonNode.Parse(completion.Content[0].Text)!["answer"]);
        var received = _host.Upstream.LastRequest!;
        target.AssertReached(received, target.ChatModel, "chat/completions");
        var body = received.ParseJsonBody()!;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"json_object"}"""), body["response_format"]));
        Assert.Null(body["tools"]);
    }

    [Theory]
    [MemberData(nameof(PassThroughTarget.Names), MemberType = typeof(PassThroughTarget))]
    public async Task Embeddings_ReachTheEmbeddingEndpointWithTheFakesUsage(string name)
    {
        var target = PassThroughTarget.Of(name);
        var client = new EmbeddingClient(target.EmbeddingModel, new ApiKeyCredential(_rawKey), Options);

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("embed me please");

        Assert.Equal(FakeLlmServer.EmbeddingValue(0, 3), embedding.ToFloats().Span[3]);
        Assert.Equal(FakeLlmBehavior.DefaultEmbeddingDimensions, embedding.ToFloats().Length);
        var received = _host.Upstream.LastRequest!;
        target.AssertReached(received, target.EmbeddingModel, "embeddings");
        Assert.Equal("embed me please", (string?)received.ParseJsonBody()!["input"]);
        await AssertUsageEventAsync(target, "/api/v1/embeddings", FakeLlmTokens.CountWords("embed me please"), 0, streamed: false);
    }

    private ChatClient Chat(PassThroughTarget target) => new(target.ChatModel, new ApiKeyCredential(_rawKey), Options);

    private async Task AssertUsageEventAsync(PassThroughTarget target, string path, int promptTokens, int completionTokens, bool streamed)
    {
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == path && e.Provider == target.Provider);
        var model = path.EndsWith("embeddings", StringComparison.Ordinal) ? target.EmbeddingModel : target.ChatModel;
        Assert.Equal(target.EventModel(model), usageEvent.Model);
        Assert.Equal(200, usageEvent.Status);
        Assert.Equal(streamed, usageEvent.Streamed);
        Assert.Equal(promptTokens, usageEvent.Usage!.PromptTokens);
        Assert.Equal(completionTokens, usageEvent.Usage.CompletionTokens);
    }
}
