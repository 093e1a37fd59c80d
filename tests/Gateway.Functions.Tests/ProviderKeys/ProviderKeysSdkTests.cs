using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Domain.Usage;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Gateway.Functions.Tests.ProviderKeys;

/// <summary>
/// <c>Proxy__AllowProviderKeys=true</c>: the official OpenAI .NET SDK with <c>Endpoint = &lt;proxy&gt;/api/v1</c>
/// and the caller's own OpenAI or Anthropic key. The fake provider must receive exactly that key in
/// the provider's credential header; the event has no key id and the fake's usage.
/// </summary>
public sealed class ProviderKeysSdkTests : IAsyncLifetime
{
    internal const string OpenAiKey = "sk-proj-caller-openai-key-0001";
    internal const string AnthropicKey = "sk-ant-api03-caller-anthropic-key-0001";
    private const string Claude = "claude-3-5-haiku-20241022";

    private readonly ProxyTestHost _host = new(new() { ["Proxy:AllowProviderKeys"] = "true" });

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    private OpenAIClientOptions Options => new() { Endpoint = new Uri(_host.BaseAddress, "/api/v1"), NetworkTimeout = TimeSpan.FromSeconds(30) };

    private ChatClient Chat(string model, string key) => new(model, new ApiKeyCredential(key), Options);

    [Theory]
    [InlineData("gpt-4o-mini")]
    [InlineData("openai/gpt-4o-mini")]
    public async Task Chat_OpenAiKey_ForwardedWithThatBearerAndEventHasNoKeyId(string model)
    {
        ChatCompletion completion = await Chat(model, OpenAiKey).CompleteChatAsync([new UserChatMessage("say hello to the relay")]);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        var received = Assert.Single(_host.Upstream.Requests);
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal("Bearer " + OpenAiKey, received.Header("Authorization"));
        Assert.Null(received.Header("x-api-key"));
        Assert.Equal("gpt-4o-mini", (string?)received.ParseJsonBody()!["model"]);

        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        AssertProviderKeyEvent(usageEvent, "openai", "gpt-4o-mini");
        Assert.Equal(FakeLlmTokens.CountWords("say hello to the relay"), usageEvent.Usage!.PromptTokens);
        Assert.Equal(completion.Usage.InputTokenCount, usageEvent.Usage.PromptTokens);
        Assert.Equal(completion.Usage.OutputTokenCount, usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Chat_AnthropicKeyClaudeModel_TranslatedAndKeyInXApiKey()
    {
        ChatCompletion completion = await Chat(Claude, AnthropicKey).CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("hello through anthropic")],
            new ChatCompletionOptions { EndUserId = "end-user-1" });

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        var received = Assert.Single(_host.Upstream.Requests);
        Assert.Equal("/v1/messages", received.Path);
        Assert.Equal(AnthropicKey, received.Header("x-api-key"));
        Assert.Null(received.Header("Authorization"));
        Assert.NotNull(received.Header("anthropic-version"));
        Assert.Equal("Be brief.", (string?)received.ParseJsonBody()!["system"]![0]!["text"]);

        var prompt = FakeLlmTokens.CountWords("Be brief.") + FakeLlmTokens.CountWords("hello through anthropic");
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        AssertProviderKeyEvent(usageEvent, "anthropic", Claude);
        Assert.Equal(prompt, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage.CompletionTokens);
        Assert.Equal("end-user-1", usageEvent.UserId);
        Assert.Null(usageEvent.EndUserId);
    }

    [Fact]
    public async Task StreamingChat_AnthropicKey_TextReassemblesWithTheFakesUsage()
    {
        _host.Upstream.Behavior.ResponseText = "Streamed with the caller's own key: ünïcode and\nnew lines.";
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat(Claude, AnthropicKey).CompleteChatStreamingAsync([new UserChatMessage("one two three")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
        }

        Assert.Equal(_host.Upstream.Behavior.ResponseText, text.ToString());
        Assert.Equal(AnthropicKey, _host.Upstream.LastRequest!.Header("x-api-key"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        AssertProviderKeyEvent(usageEvent, "anthropic", Claude);
        Assert.True(usageEvent.Streamed);
        Assert.Equal(3, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText), usageEvent.Usage.CompletionTokens);
        Assert.Equal(usageEvent.Usage.CompletionTokens, usage!.OutputTokenCount);
    }

    [Fact]
    public async Task StreamingChat_OpenAiKey_TextAndUsageMatchTheFake()
    {
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        await foreach (var update in Chat("gpt-4o-mini", OpenAiKey).CompleteChatStreamingAsync([new UserChatMessage("one two three four")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
        }

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, text.ToString());
        Assert.Equal("Bearer " + OpenAiKey, _host.Upstream.LastRequest!.Header("Authorization"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        AssertProviderKeyEvent(usageEvent, "openai", "gpt-4o-mini");
        Assert.Equal(4, usageEvent.Usage!.PromptTokens);
        Assert.Equal(usage!.OutputTokenCount, usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Embeddings_OpenAiKey_ForwardedWithThatBearer()
    {
        var client = new EmbeddingClient("text-embedding-3-small", new ApiKeyCredential(OpenAiKey), Options);

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("embed me with my key");

        Assert.Equal(FakeLlmBehavior.DefaultEmbeddingDimensions, embedding.ToFloats().Length);
        var received = Assert.Single(_host.Upstream.Requests);
        Assert.Equal("/v1/embeddings", received.Path);
        Assert.Equal("Bearer " + OpenAiKey, received.Header("Authorization"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/embeddings");
        AssertProviderKeyEvent(usageEvent, "openai", "text-embedding-3-small");
        Assert.Equal(FakeLlmTokens.CountWords("embed me with my key"), usageEvent.Usage!.PromptTokens);
    }

    [Theory]
    [InlineData("azure/my-deployment", OpenAiKey)]
    [InlineData("anthropic.claude-3-5-sonnet-20241022-v2:0", AnthropicKey)]
    [InlineData("bedrock/anthropic.claude-3-haiku-20240307-v1:0", AnthropicKey)]
    [InlineData("groq/llama-3.1-8b-instant", OpenAiKey)]
    [InlineData("meta-llama/Llama-3-8b", OpenAiKey)]
    [InlineData(Claude, OpenAiKey)]
    [InlineData("gpt-4o-mini", AnthropicKey)]
    public async Task Chat_ModelAProviderKeyCannotReach_400NamingTheGatewayKeyAndNothingSent(string model, string key)
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Chat(model, key).CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(400, error.Status);
        Assert.Contains($"'{model}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("gateway key with a provider setting", error.Message, StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task Requests_BeyondWhatALimitedGatewayKeyMay_StillPassWithAProviderKey()
    {
        var setting = await _host.AddSettingAsync();
        var (_, limitedKey) = await _host.AddKeyAsync(k => { k.Limits.RateLimitOverTime = 1; k.Limits.RateLimitUnit = "m"; }, setting);
        Assert.Equal(HttpStatusCode.OK, (await PostChatAsync(limitedKey, "gpt-4o-mini")).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await PostChatAsync(limitedKey, "gpt-4o-mini")).StatusCode);

        for (var i = 0; i < 4; i++)
        {
            ChatCompletion completion = await Chat("gpt-4o-mini", OpenAiKey).CompleteChatAsync([new UserChatMessage($"request {i}")]);
            Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        }

        Assert.Equal(4, _host.Upstream.Requests.Count(r => r.Header("Authorization") == "Bearer " + OpenAiKey));
    }

    [Fact]
    public async Task NativeProviderPathAndModelList_ProviderKey_401AndNothingSent()
    {
        using var client = _host.CreateClient(OpenAiKey);

        var native = await client.PostAsync("/api/providers/openai/v1/chat/completions", ChatBody("gpt-4o-mini"));
        var models = await client.GetAsync("/api/v1/models");

        Assert.Equal(HttpStatusCode.Unauthorized, native.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, models.StatusCode);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task Bearer_WithoutAProviderKeysShape_401AndNothingSent()
    {
        var response = await PostChatAsync("not-a-provider-key-" + Guid.NewGuid().ToString("n"), "gpt-4o-mini");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("api key is not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }

    private Task<HttpResponseMessage> PostChatAsync(string bearer, string model, string prompt = "hello", IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var client = _host.CreateClient(bearer);
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/chat/completions") { Content = ChatBody(model, prompt) };
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.Add(name, value);
        }

        return SendAndDisposeAsync(client, request);
    }

    private static async Task<HttpResponseMessage> SendAndDisposeAsync(HttpClient client, HttpRequestMessage request)
    {
        using (client)
        using (request)
        {
            var response = await client.SendAsync(request);
            await response.Content.LoadIntoBufferAsync();
            return response;
        }
    }

    internal static StringContent ChatBody(string model, string prompt = "hello")
        => new($$"""{"model":"{{model}}","temperature":0,"messages":[{"role":"user","content":"{{prompt}}"}]}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json"));

    internal static void AssertProviderKeyEvent(UsageEventMessage usageEvent, string provider, string model)
    {
        Assert.Equal(string.Empty, usageEvent.KeyId);
        Assert.Null(usageEvent.SettingId);
        Assert.Empty(usageEvent.Tags);
        Assert.Equal(provider, usageEvent.Provider);
        Assert.Equal(model, usageEvent.Model);
        Assert.Equal(200, usageEvent.Status);
        Assert.Null(usageEvent.RequestBody);
    }
}
