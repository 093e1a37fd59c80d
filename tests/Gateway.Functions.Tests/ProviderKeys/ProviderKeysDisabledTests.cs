using System.ClientModel;
using Gateway.Functions.Tests.Proxy;
using OpenAI;
using OpenAI.Chat;
using static Gateway.Functions.Tests.ProviderKeys.ProviderKeysSdkTests;

namespace Gateway.Functions.Tests.ProviderKeys;

/// <summary>Without <c>Proxy__AllowProviderKeys</c> (the default), a provider key on the one API is an unknown key: 401, nothing sent.</summary>
public sealed class ProviderKeysDisabledTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task DotNetSdk_ProviderKey_401AndTheFakeSeesNothing()
    {
        var chat = new ChatClient("gpt-4o-mini", new ApiKeyCredential(OpenAiKey), new OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "/api/v1") });

        var error = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(401, error.Status);
        Assert.Contains("api key is not found", error.Message, StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task NodeSdk_ProviderKey_401AndTheFakeSeesNothing()
    {
        var result = await OpenAiNodeClient.RunAsync(_host.BaseAddress, AnthropicKey, "claude-3-5-haiku-20241022", "chat");

        Assert.Equal(401, (int)result["error"]!["status"]!);
        Assert.Empty(_host.Upstream.Requests);
        Assert.Empty(_host.Events.Sent);
    }
}
