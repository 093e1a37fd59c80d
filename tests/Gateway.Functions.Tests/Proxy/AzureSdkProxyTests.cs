using System.ClientModel;
using Azure.AI.OpenAI;
using Gateway.Testing.FakeLlm;
using OpenAI.Chat;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>The official Azure OpenAI SDK (<c>Azure.AI.OpenAI</c>) against the proxy's Azure path.</summary>
public sealed class AzureSdkProxyTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var setting = await _host.AddSettingAsync("azure", apiKey: "azure-upstream-key", parameters: new() { ["resourceName"] = "contoso" });
        (_, _rawKey) = await _host.AddKeyAsync(null, setting);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    private ChatClient Client(string key)
        => new AzureOpenAIClient(new Uri(_host.BaseAddress, "/api/providers/azure"), new ApiKeyCredential(key)).GetChatClient("gpt4o-deployment");

    [Fact]
    public async Task Chat_AzureSdk_ReachesDeploymentWithApiKeyHeaderSwapped()
    {
        ChatCompletion completion = await Client(_rawKey).CompleteChatAsync([new UserChatMessage("hi azure")]);

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, completion.Content[0].Text);
        var received = _host.Upstream.LastRequest!;
        Assert.Equal("/openai/deployments/gpt4o-deployment/chat/completions", received.Path);
        Assert.NotNull(received.Query("api-version"));
        Assert.Equal("azure-upstream-key", received.Header("api-key"));
        Assert.DoesNotContain(received.Headers, h => h.Value.Any(v => v.Contains(_rawKey, StringComparison.Ordinal)));

        var usageEvent = await _host.Events.WaitForAsync(e => e.Provider == "azure");
        Assert.Equal("gpt4o-deployment", usageEvent.DeploymentId);
        Assert.Equal(2, usageEvent.Usage!.PromptTokens);
    }

    [Fact]
    public async Task StreamingChat_AzureSdk_AssemblesText()
    {
        var text = new System.Text.StringBuilder();
        await foreach (var update in Client(_rawKey).CompleteChatStreamingAsync([new UserChatMessage("stream please")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, text.ToString());
    }

    [Fact]
    public async Task UnknownKey_AzureSdk_Gets401()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => Client("gw-nope").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(401, error.Status);
    }
}
