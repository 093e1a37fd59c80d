using System.ClientModel;
using System.Text.Json.Nodes;
using Gateway.Testing.FakeLlm;
using OpenAI;
using OpenAI.Audio;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Files;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>The official OpenAI .NET SDK, with only its endpoint and key changed, through the proxy to the fake provider.</summary>
public sealed class OpenAiSdkProxyTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var setting = await _host.AddSettingAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, setting);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(_host.BaseAddress, "/api/providers/openai/v1") };

    [Fact]
    public async Task Chat_OpenAiSdk_AnswersAndUpstreamGetsProviderKeyNotGatewayKey()
    {
        var client = new ChatClient("gpt-4o-mini", new ApiKeyCredential(_rawKey), Options);

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("Say hello to the gateway")]);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal("Bearer " + ProxyTestHost.UpstreamOpenAiKey, received.Header("Authorization"));
        Assert.DoesNotContain(received.Headers, h => h.Value.Any(v => v.Contains(_rawKey, StringComparison.Ordinal)));
        var body = received.ParseJsonBody()!;
        Assert.Equal("gpt-4o-mini", (string?)body["model"]);
        Assert.Equal("Say hello to the gateway", (string?)body["messages"]![0]!["content"]);

        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/providers/openai/v1/chat/completions");
        Assert.Equal(200, usageEvent.Status);
        Assert.Equal("gpt-4o-mini", usageEvent.Model);
        Assert.Equal(FakeLlmTokens.CountWords("Say hello to the gateway"), usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage.CompletionTokens);
        Assert.False(usageEvent.Streamed);
    }

    [Fact]
    public async Task StreamingChat_OpenAiSdk_AssemblesTextAndEventHasExactUsage()
    {
        var client = new ChatClient("gpt-4o", new ApiKeyCredential(_rawKey), Options);
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("one two three")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
        }

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, text.ToString());
        var usageEvent = await _host.Events.WaitForAsync(e => e.Streamed);
        Assert.Equal(3, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage.CompletionTokens);
        Assert.True((bool)_host.Upstream.LastRequest!.ParseJsonBody()!["stream_options"]!["include_usage"]!);
        if (usage is not null)
        {
            // The SDK asked for the usage chunk itself, so it must see it.
            Assert.Equal(3, usage.InputTokenCount);
        }
    }

    [Fact]
    public async Task Embeddings_OpenAiSdk_ReturnsVectorAndEventHasPromptTokens()
    {
        var client = new EmbeddingClient("text-embedding-3-small", new ApiKeyCredential(_rawKey), Options);

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("embed these four words");

        Assert.Equal(FakeLlmBehavior.DefaultEmbeddingDimensions, embedding.ToFloats().Length);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path.EndsWith("/embeddings", StringComparison.Ordinal));
        Assert.Equal(4, usageEvent.Usage!.PromptTokens);
        Assert.Equal("text-embedding-3-small", usageEvent.Model);
    }

    [Fact]
    public async Task FileUpload_OpenAiSdk_MultipartStreamsThroughIntact()
    {
        var client = new OpenAIFileClient(new ApiKeyCredential(_rawKey), Options);
        var content = System.Text.Encoding.UTF8.GetBytes("{\"prompt\":\"a\",\"completion\":\"b\"}\n");

        OpenAIFile file = await client.UploadFileAsync(new MemoryStream(content), "train.jsonl", FileUploadPurpose.FineTune);

        Assert.Equal("train.jsonl", file.Filename);
        var received = _host.Upstream.LastRequest!;
        Assert.StartsWith("multipart/form-data", received.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Contains("{\"prompt\":\"a\",\"completion\":\"b\"}", received.BodyText, StringComparison.Ordinal);
        Assert.Equal("Bearer " + ProxyTestHost.UpstreamOpenAiKey, received.Header("Authorization"));
    }

    [Fact]
    public async Task Speech_OpenAiSdk_BinaryAudioPassesByteForByte()
    {
        var client = new AudioClient("tts-1", new ApiKeyCredential(_rawKey), Options);

        BinaryData audio = await client.GenerateSpeechAsync("hello there", GeneratedSpeechVoice.Alloy);

        using var direct = new HttpClient { BaseAddress = _host.Upstream.BaseUrl };
        direct.DefaultRequestHeaders.Authorization = new("Bearer", "direct");
        using var directResponse = await direct.PostAsync("/v1/audio/speech", new StringContent("""{"model":"tts-1","input":"hello there","voice":"alloy"}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(await directResponse.Content.ReadAsByteArrayAsync(), audio.ToArray());
        Assert.True(audio.ToArray().Length > 0);
    }

    [Fact]
    public async Task UnknownKey_OpenAiSdk_Gets401InOpenAiShape()
    {
        var client = new ChatClient("gpt-4o", new ApiKeyCredential("gw-not-a-key"), Options);

        var error = await Assert.ThrowsAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
        var body = JsonNode.Parse(error.GetRawResponse()!.Content.ToString())!;
        Assert.StartsWith("[BricksLLM]", (string?)body["error"]!["message"], StringComparison.Ordinal);
        Assert.Equal("401", (string?)body["error"]!["code"]);
        Assert.Equal("authentication_error", (string?)body["error"]!["type"]);
        Assert.DoesNotContain("gw-not-a-key", error.GetRawResponse()!.Content.ToString(), StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }
}
