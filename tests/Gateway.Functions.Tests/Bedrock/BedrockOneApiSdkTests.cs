using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Config;
using Gateway.Domain.Routing;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Functions.Tests.Bedrock;

/// <summary>
/// The official OpenAI .NET SDK with <c>Endpoint = &lt;proxy&gt;/api/v1</c> reaching the fake's Bedrock
/// endpoints: Bedrock model ids (bare, inference profile, <c>bedrock/...</c>) resolve to the key's
/// Bedrock setting, the body is translated to Bedrock's Anthropic dialect and signed, the answer
/// (JSON or decoded event stream) translated back. Also a failover route step on provider bedrock.
/// </summary>
public sealed class BedrockOneApiSdkTests : IAsyncLifetime
{
    private static readonly ChatTool Weather = ChatTool.CreateFunctionTool(
        "get_weather", "The weather in a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    private static readonly ChatTool Time = ChatTool.CreateFunctionTool(
        "get_time", "The time in a zone", BinaryData.FromString("""{"type":"object","properties":{"zone":{"type":"string"}}}"""));

    private readonly ProxyTestHost _host = new();
    private string _keyId = null!;
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var bedrock = await _host.AddBedrockSettingAsync();
        var (key, raw) = await _host.AddKeyAsync(null, bedrock);
        (_keyId, _rawKey) = (key.KeyId, raw);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    private static OpenAIClientOptions OptionsFor(Uri endpoint) => new()
    {
        Endpoint = endpoint,
        NetworkTimeout = TimeSpan.FromSeconds(30),
        RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
    };

    private ChatClient Chat(string model) => new(model, new ApiKeyCredential(_rawKey), OptionsFor(new Uri(_host.BaseAddress, "/api/v1")));

    [Fact]
    public async Task Chat_BareBedrockModel_TranslatedSignedAndEventHasFakesUsage()
    {
        ChatCompletion completion = await Chat(BedrockTestSetup.Model).CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello to the gateway")],
            new ChatCompletionOptions { Temperature = 0.5f, EndUserId = "sdk-user" });

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var prompt = FakeLlmTokens.CountWords("Be brief.") + FakeLlmTokens.CountWords("Say hello to the gateway");
        var completionTokens = FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText);
        Assert.Equal(prompt, completion.Usage.InputTokenCount);
        Assert.Equal(completionTokens, completion.Usage.OutputTokenCount);

        var received = _host.Upstream.LastRequest!;
        Assert.Equal(BedrockTestSetup.InvokePath(BedrockTestSetup.Model, stream: false), received.Path);
        Assert.StartsWith("AWS4-HMAC-SHA256 ", received.Header("Authorization"), StringComparison.Ordinal);
        var body = received.ParseJsonBody()!;
        Assert.Equal("bedrock-2023-05-31", (string?)body["anthropic_version"]);
        Assert.Null(body["model"]);
        Assert.Equal("Be brief.", (string?)body["system"]![0]!["text"]);
        Assert.Equal("sdk-user", (string?)body["metadata"]!["user_id"]);

        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.Equal("bedrock", usageEvent.Provider);
        Assert.Equal(BedrockTestSetup.Model, usageEvent.Model);
        Assert.Equal(prompt, usageEvent.Usage!.PromptTokens);
        Assert.Equal(completionTokens, usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task StreamingChat_InferenceProfile_TextReassemblesExactlyAndUsageMatchesEvent()
    {
        _host.Upstream.Behavior.ResponseText = "Streaming, through \"Bedrock\": ünïcode and\nnew lines.";
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in Chat(BedrockTestSetup.ProfileModel).CompleteChatStreamingAsync([new UserChatMessage("one two three")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(_host.Upstream.Behavior.ResponseText, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.Equal(BedrockTestSetup.InvokePath(BedrockTestSetup.ProfileModel, stream: true), _host.Upstream.LastRequest!.Path);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.True(usageEvent.Streamed);
        Assert.Equal(3, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText), usageEvent.Usage.CompletionTokens);
        Assert.Equal(usageEvent.Usage.PromptTokens, usage!.InputTokenCount);
        Assert.Equal(usageEvent.Usage.CompletionTokens, usage.OutputTokenCount);
    }

    [Fact]
    public async Task ToolRoundTrip_ExplicitBedrockPrefix_CallThenResultThenAnswer()
    {
        var client = Chat("bedrock/" + BedrockTestSetup.Model);
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Paris?")];
        var options = new ChatCompletionOptions { Tools = { Weather } };

        ChatCompletion first = await client.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"get_weather:city"}""", call.FunctionArguments.ToString());

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18 degrees and sunny"));
        ChatCompletion answer = await client.CompleteChatAsync(messages, options);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, answer.Content[0].Text);
        var received = _host.Upstream.LastRequest!;
        Assert.Equal(BedrockTestSetup.InvokePath(BedrockTestSetup.Model, stream: false), received.Path);
        var sent = received.ParseJsonBody()!["messages"]!.AsArray();
        Assert.Equal(call.Id, (string?)sent[1]!["content"]![0]!["id"]);
        Assert.Equal("tool_result", (string?)sent[2]!["content"]![0]!["type"]);
        Assert.Equal(call.Id, (string?)sent[2]!["content"]![0]!["tool_use_id"]);
    }

    [Fact]
    public async Task StreamingParallelToolCalls_BedrockModel_ArgumentsReassembleExactly()
    {
        var names = new Dictionary<int, string>();
        var arguments = new Dictionary<int, StringBuilder>();
        ChatFinishReason? finish = null;

        await foreach (var update in Chat(BedrockTestSetup.Model).CompleteChatStreamingAsync(
            [new UserChatMessage("Weather and time in Paris?")], new ChatCompletionOptions { Tools = { Weather, Time } }))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.FunctionName is { } name)
                {
                    names[call.Index] = name;
                }

                arguments.TryAdd(call.Index, new StringBuilder());
                arguments[call.Index].Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(["get_weather", "get_time"], [names[0], names[1]]);
        Assert.Equal("""{"city":"get_weather:city"}""", arguments[0].ToString());
        Assert.Equal("""{"zone":"get_time:zone"}""", arguments[1].ToString());
    }

    [Fact]
    public async Task ImageInput_BedrockModel_UrlAndBase64BecomeImageBlocks()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        ChatCompletion completion = await Chat(BedrockTestSetup.Model).CompleteChatAsync(
            [new UserChatMessage(
                ChatMessageContentPart.CreateTextPart("Compare these"),
                ChatMessageContentPart.CreateImagePart(new Uri("https://images.example/cat.jpg")),
                ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))]);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        var content = _host.Upstream.LastRequest!.ParseJsonBody()!["messages"]![0]!["content"]!.AsArray();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"url","url":"https://images.example/cat.jpg"}"""), content[1]!["source"]));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""{"type":"base64","media_type":"image/png","data":"{{Convert.ToBase64String(png)}}"}"""),
            content[2]!["source"]));
    }

    [Fact]
    public async Task JsonMode_BedrockModel_ContentIsTheJsonObject()
    {
        ChatCompletion completion = await Chat(BedrockTestSetup.Model).CompleteChatAsync(
            [new UserChatMessage("Answer in JSON")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Empty(completion.ToolCalls);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)JsonNode.Parse(completion.Content[0].Text)!["answer"]);
        Assert.Equal("json_response", (string?)_host.Upstream.LastRequest!.ParseJsonBody()!["tool_choice"]!["name"]);
    }

    [Fact]
    public async Task Chat_BedrockThrottles_OpenAiErrorShapeWithItsStatus()
    {
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.Status(429));

        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat(BedrockTestSetup.Model).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(429, error.Status);
        var body = JsonNode.Parse(error.GetRawResponse()!.Content.ToString())!;
        Assert.Equal("rate_limit_error", (string?)body["error"]!["type"]);
    }

    [Fact]
    public async Task StreamingChat_BedrockStreamException_EndsWithOpenAiErrorEventAndDone()
    {
        _host.Upstream.Bedrock.StreamException = "modelStreamErrorException";
        using var client = _host.CreateClient(_rawKey);

        using var response = await client.PostAsync("/api/v1/chat/completions", new StringContent(
            $$"""{"model":"{{BedrockTestSetup.Model}}","stream":true,"messages":[{"role":"user","content":"one two three"}]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var data = (await response.Content.ReadAsStringAsync()).Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("data: [DONE]", data[^1]);
        var error = JsonNode.Parse(data[^2]["data: ".Length..])!["error"]!;
        Assert.Equal("Too many tokens, please wait before trying again.", (string?)error["message"]);
    }

    [Fact]
    public async Task RouteStep_ProviderBedrock_AnswersThroughTheRoute()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var route = new Route
        {
            Id = Guid.NewGuid().ToString(),
            Name = "bedrock route",
            Path = "/" + Guid.NewGuid().ToString("n")[..10] + "/chat/completions",
            KeyIds = [_keyId],
            Steps = [new RouteStep { Provider = "bedrock", Model = BedrockTestSetup.Model }],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await new ConfigCacheWriter(_host.Redis).UpsertAsync(route);
        await _host.WaitUntilAsync(s => s.RoutesByPath.ContainsKey(route.Path));
        var prefix = route.Path[..^"/chat/completions".Length];
        var client = new ChatClient("any-model", new ApiKeyCredential(_rawKey), OptionsFor(new Uri(_host.BaseAddress, "/api/routes" + prefix)));

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("one two three")]);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        Assert.Equal(BedrockTestSetup.InvokePath(BedrockTestSetup.Model, stream: false), _host.Upstream.LastRequest!.Path);
        var usageEvent = await _host.Events.WaitForAsync(e => e.RouteId == route.Id);
        Assert.Equal("bedrock", usageEvent.Provider);
        Assert.Equal(3, usageEvent.Usage!.PromptTokens);
    }
}
