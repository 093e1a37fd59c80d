using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Gateway.Functions.Tests.OneApi;

/// <summary>
/// The official OpenAI .NET SDK with <c>Endpoint = &lt;proxy&gt;/api/v1</c> and a gateway key, reaching
/// the fake provider's Anthropic (translated) and OpenAI (passed through) endpoints by model.
/// </summary>
public sealed class OneApiSdkTests : IAsyncLifetime
{
    private const string Claude = "claude-3-5-haiku-20241022";
    private const string AnthropicKey = "sk-ant-upstream-1";

    internal static readonly ChatTool Weather = ChatTool.CreateFunctionTool(
        "get_weather", "The weather in a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));

    internal static readonly ChatTool Time = ChatTool.CreateFunctionTool(
        "get_time", "The time in a zone", BinaryData.FromString("""{"type":"object","properties":{"zone":{"type":"string"}}}"""));

    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var anthropic = await _host.AddSettingAsync("anthropic", apiKey: AnthropicKey);
        var openAi = await _host.AddSettingAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, anthropic, openAi);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(_host.BaseAddress, "/api/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) };

    private ChatClient Chat(string model) => new(model, new ApiKeyCredential(_rawKey), Options);

    [Fact]
    public async Task Chat_ClaudeModel_TranslatedToAnthropicAndEventHasFakesUsage()
    {
        ChatCompletion completion = await Chat(Claude).CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello to the gateway")],
            new ChatCompletionOptions { Temperature = 0.5f, EndUserId = "sdk-user" });

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(Claude, completion.Model);
        var prompt = FakeLlmTokens.CountWords("Be brief.") + FakeLlmTokens.CountWords("Say hello to the gateway");
        var completionTokens = FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText);
        Assert.Equal(prompt, completion.Usage.InputTokenCount);
        Assert.Equal(completionTokens, completion.Usage.OutputTokenCount);

        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/v1/messages", received.Path);
        Assert.Equal(AnthropicKey, received.Header("x-api-key"));
        Assert.Null(received.Header("Authorization"));
        var body = received.ParseJsonBody()!;
        Assert.Equal(Claude, (string?)body["model"]);
        Assert.Equal("Be brief.", (string?)body["system"]![0]!["text"]);
        Assert.Equal(8192, (int)body["max_tokens"]!);
        Assert.Equal(0.5, (double)body["temperature"]!, 3);
        Assert.Equal("sdk-user", (string?)body["metadata"]!["user_id"]);

        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.Equal("anthropic", usageEvent.Provider);
        Assert.Equal(Claude, usageEvent.Model);
        Assert.Equal(200, usageEvent.Status);
        Assert.Equal(prompt, usageEvent.Usage!.PromptTokens);
        Assert.Equal(completionTokens, usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task StreamingChat_ClaudeModel_TextReassemblesExactlyWithUsage()
    {
        _host.Upstream.Behavior.ResponseText = "Streaming, through the \"one\" API: ünïcode and\nnew lines.";
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in Chat(Claude).CompleteChatStreamingAsync([new UserChatMessage("one two three")]))
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
        var completionTokens = FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText);
        Assert.NotNull(usage);
        Assert.Equal(3, usage.InputTokenCount);
        Assert.Equal(completionTokens, usage.OutputTokenCount);
        Assert.True((bool)_host.Upstream.LastRequest!.ParseJsonBody()!["stream"]!);

        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.True(usageEvent.Streamed);
        Assert.Equal(3, usageEvent.Usage!.PromptTokens);
        Assert.Equal(completionTokens, usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task ToolRoundTrip_ClaudeModel_CallThenResultThenAnswer()
    {
        var client = Chat(Claude);
        List<ChatMessage> messages = [new UserChatMessage("What is the weather in Paris?")];
        var options = new ChatCompletionOptions { Tools = { Weather } };

        ChatCompletion first = await client.CompleteChatAsync(messages, options);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("""{"city":"get_weather:city"}""", call.FunctionArguments.ToString());
        var tools = _host.Upstream.LastRequest!.ParseJsonBody()!["tools"]!;
        Assert.Equal("get_weather", (string?)tools[0]!["name"]);
        Assert.Equal("object", (string?)tools[0]!["input_schema"]!["type"]);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "18 degrees and sunny"));
        ChatCompletion answer = await client.CompleteChatAsync(messages, options);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, answer.Content[0].Text);
        var sent = _host.Upstream.LastRequest!.ParseJsonBody()!["messages"]!.AsArray();
        Assert.Equal(3, sent.Count);
        Assert.Equal("tool_use", (string?)sent[1]!["content"]![0]!["type"]);
        Assert.Equal(call.Id, (string?)sent[1]!["content"]![0]!["id"]);
        Assert.Equal("get_weather:city", (string?)sent[1]!["content"]![0]!["input"]!["city"]);
        Assert.Equal("tool_result", (string?)sent[2]!["content"]![0]!["type"]);
        Assert.Equal(call.Id, (string?)sent[2]!["content"]![0]!["tool_use_id"]);
        Assert.Equal("18 degrees and sunny", (string?)sent[2]!["content"]![0]!["content"]);
    }

    [Fact]
    public async Task StreamingParallelToolCalls_ClaudeModel_ArgumentsReassembleExactly()
    {
        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        var arguments = new Dictionary<int, StringBuilder>();
        ChatFinishReason? finish = null;

        await foreach (var update in Chat(Claude).CompleteChatStreamingAsync(
            [new UserChatMessage("Weather and time in Paris?")], new ChatCompletionOptions { Tools = { Weather, Time } }))
        {
            foreach (var call in update.ToolCallUpdates)
            {
                if (call.ToolCallId is { } id)
                {
                    ids[call.Index] = id;
                    names[call.Index] = call.FunctionName;
                }

                arguments.TryAdd(call.Index, new StringBuilder());
                arguments[call.Index].Append(call.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(["get_weather", "get_time"], [names[0], names[1]]);
        Assert.NotEqual(ids[0], ids[1]);
        Assert.Equal("""{"city":"get_weather:city"}""", arguments[0].ToString());
        Assert.Equal("""{"zone":"get_time:zone"}""", arguments[1].ToString());
    }

    [Fact]
    public async Task ImageInput_ClaudeModel_UrlAndBase64BecomeImageBlocks()
    {
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };
        ChatCompletion completion = await Chat(Claude).CompleteChatAsync(
            [new UserChatMessage(
                ChatMessageContentPart.CreateTextPart("Compare these"),
                ChatMessageContentPart.CreateImagePart(new Uri("https://images.example/cat.jpg")),
                ChatMessageContentPart.CreateImagePart(BinaryData.FromBytes(png), "image/png"))]);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        var content = _host.Upstream.LastRequest!.ParseJsonBody()!["messages"]![0]!["content"]!.AsArray();
        Assert.Equal("Compare these", (string?)content[0]!["text"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"type":"url","url":"https://images.example/cat.jpg"}"""), content[1]!["source"]));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$"""{"type":"base64","media_type":"image/png","data":"{{Convert.ToBase64String(png)}}"}"""),
            content[2]!["source"]));
    }

    [Fact]
    public async Task JsonMode_ClaudeModel_ContentIsTheJsonObject()
    {
        ChatCompletion completion = await Chat(Claude).CompleteChatAsync(
            [new UserChatMessage("Answer in JSON")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Empty(completion.ToolCalls);
        var json = JsonNode.Parse(completion.Content[0].Text)!;
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)json["answer"]);
        var body = _host.Upstream.LastRequest!.ParseJsonBody()!;
        Assert.Equal("json_response", (string?)body["tool_choice"]!["name"]);
    }

    [Fact]
    public async Task Embeddings_OpenAiModel_PassedThroughToOpenAi()
    {
        var client = new EmbeddingClient("text-embedding-3-small", new ApiKeyCredential(_rawKey), Options);

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("embed me please");

        Assert.Equal(FakeLlmBehavior.DefaultEmbeddingDimensions, embedding.ToFloats().Length);
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/v1/embeddings", received.Path);
        Assert.Equal("Bearer " + ProxyTestHost.UpstreamOpenAiKey, received.Header("Authorization"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/embeddings");
        Assert.Equal("openai", usageEvent.Provider);
        Assert.Equal(FakeLlmTokens.CountWords("embed me please"), usageEvent.Usage!.PromptTokens);
    }

    [Theory]
    [InlineData("gpt-4o-mini", "gpt-4o-mini")]
    [InlineData("openai/gpt-4o-mini", "gpt-4o-mini")]
    public async Task Chat_OpenAiModel_PassedThroughWithTheProvidersModelName(string model, string upstreamModel)
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat(model).CompleteChatStreamingAsync([new UserChatMessage("one two three")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
        }

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, text.ToString());
        Assert.Equal(3, usage!.InputTokenCount);
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal(upstreamModel, (string?)received.ParseJsonBody()!["model"]);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.Equal("openai", usageEvent.Provider);
        Assert.Equal(upstreamModel, usageEvent.Model);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage!.CompletionTokens);
    }

    [Fact]
    public async Task StreamingChat_AzureDeployment_ReachesTheDeploymentWithAnApiVersion()
    {
        var azure = await _host.AddSettingAsync("azure", apiKey: "azure-upstream-key", parameters: new() { ["resourceName"] = "res1" });
        var (_, raw) = await _host.AddKeyAsync(null, azure);
        var client = new ChatClient("azure/my-gpt4o", new ApiKeyCredential(raw), Options);
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("one two three")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
        }

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, text.ToString());
        Assert.Equal(3, usage!.InputTokenCount);
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/openai/deployments/my-gpt4o/chat/completions", received.Path);
        Assert.Equal("2024-10-21", received.Query("api-version"));
        Assert.Equal("azure-upstream-key", received.Header("api-key"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions" && e.Provider == "azure");
        Assert.Equal("my-gpt4o", usageEvent.Model);
        Assert.Equal(3, usageEvent.Usage!.PromptTokens);
    }

    [Fact]
    public async Task Chat_UnknownModel_400NamesModelAndWhatWasTried()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat("llama-3-70b").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(400, error.Status);
        Assert.Contains("'llama-3-70b'", error.Message, StringComparison.Ordinal);
        Assert.Contains("allowedModels", error.Message, StringComparison.Ordinal);
        Assert.Contains("model families", error.Message, StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task Chat_UntranslatableField_400NamesIt()
    {
        using var client = _host.CreateClient(_rawKey);

        using var response = await client.PostAsync("/api/v1/chat/completions", new StringContent(
            $$$"""{"model":"{{{Claude}}}","messages":[{"role":"user","content":"hi"}],"logit_bias":{"1":5}}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("invalid_request_error", (string?)error["type"]);
        Assert.Contains("'logit_bias'", (string?)error["message"], StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task Chat_AnthropicError_OpenAiShapeWithUpstreamStatus()
    {
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.Status(429));

        var options = Options;
        options.RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0);
        var client = new ChatClient(Claude, new ApiKeyCredential(_rawKey), options);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(429, error.Status);
        var body = JsonNode.Parse(error.GetRawResponse()!.Content.ToString())!;
        Assert.Equal("rate_limit_error", (string?)body["error"]!["type"]);
        Assert.NotNull(body["error"]!["message"]);
    }

    [Fact]
    public async Task Models_ListsWhatTheKeyReaches()
    {
        var listed = await _host.AddSettingAsync("anthropic", apiKey: "sk-ant-2", parameters: null, "claude-sonnet-4-20250514");
        var (_, raw) = await _host.AddKeyAsync(null, listed, await _host.AddSettingAsync());
        var client = new OpenAIClient(new ApiKeyCredential(raw), Options).GetOpenAIModelClient();

        var models = (await client.GetModelsAsync()).Value;

        Assert.Equal(["claude-sonnet-4-20250514", "openai/*"], models.Select(m => m.Id).ToArray());
        Assert.Equal(["anthropic", "openai"], models.Select(m => m.OwnedBy).ToArray());
    }
}
