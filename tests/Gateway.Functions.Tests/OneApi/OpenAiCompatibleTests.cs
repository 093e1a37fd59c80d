using System.ClientModel;
using Gateway.Domain.Config;
using Gateway.Domain.Providers;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Functions.Tests.OneApi;

/// <summary>
/// Settings of kind <c>openai-compatible</c> (Groq, Ollama, ...): natively at
/// <c>/api/providers/{settingName}/</c> and through the one API as <c>{settingName}/model</c>.
/// </summary>
public sealed class OpenAiCompatibleTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var groq = await AddCompatibleAsync("groq", "gsk-upstream-1");
        var ollama = await AddCompatibleAsync("ollama", "ollama-key");
        var keyless = await AddCompatibleAsync("lmstudio", apiKey: null);
        (_, _rawKey) = await _host.AddKeyAsync(null, groq, ollama, keyless);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Native_SettingNameInPath_ForwardsToItsUrlWithItsKey()
    {
        var client = new ChatClient("llama-3.1-8b-instant", new ApiKeyCredential(_rawKey), new OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "/api/providers/groq") });

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("hello groq")]);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal("Bearer gsk-upstream-1", received.Header("Authorization"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/providers/groq/chat/completions");
        Assert.Equal("openai-compatible", usageEvent.Provider);
        Assert.Equal(FakeLlmTokens.CountWords("hello groq"), usageEvent.Usage!.PromptTokens);
    }

    [Fact]
    public async Task OneApi_SettingNamePrefix_SendsTheBareModel()
    {
        var client = new ChatClient("ollama/llama3.2", new ApiKeyCredential(_rawKey), new OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "/api/v1") });
        var text = new System.Text.StringBuilder();

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("hello ollama")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, text.ToString());
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Equal("llama3.2", (string?)received.ParseJsonBody()!["model"]);
        Assert.Equal("Bearer ollama-key", received.Header("Authorization"));
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.Equal("openai-compatible", usageEvent.Provider);
        Assert.Equal("llama3.2", usageEvent.Model);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage!.CompletionTokens);
    }

    [Fact]
    public async Task Native_SettingWithoutApiKey_SendsNoAuthorization()
    {
        using var client = _host.CreateClient(_rawKey);

        using var response = await client.PostAsync("/api/providers/lmstudio/chat/completions",
            new StringContent("""{"model":"qwen","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));

        // The fake, like OpenAI, wants a key: its 401 passes through, and nothing of the gateway key leaked upstream.
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/v1/chat/completions", received.Path);
        Assert.Null(received.Header("Authorization"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Native_SettingOfAnotherName_IsNotUsed()
    {
        using var client = _host.CreateClient(_rawKey);

        using var response = await client.PostAsync("/api/providers/together/chat/completions",
            new StringContent("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""", System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(System.Net.HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_host.Upstream.Requests);
    }

    private async Task<ProviderSetting> AddCompatibleAsync(string name, string? apiKey)
    {
        var setting = TestData.NewSetting(BuiltInProviders.OpenAiCompatible);
        setting.Name = name;
        setting.Parameters = new() { ["url"] = _host.Upstream.BaseUrl + "v1" };
        if (apiKey is not null)
        {
            setting.EncryptedSecrets = _host.Protector.Protect(new Dictionary<string, string> { ["apikey"] = apiKey });
        }

        await new ConfigCacheWriter(_host.Redis).UpsertAsync(setting);
        await _host.WaitUntilAsync(s => s.ProviderSettings.ContainsKey(setting.Id));
        return setting;
    }
}
