using System.ClientModel;
using Gateway.Functions.Tests.Proxy;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Functions.Tests.Caching;

/// <summary>The official OpenAI .NET SDK against a cache hit: the replayed stream parses into the same updates, and the header reaches the SDK.</summary>
public sealed class ResponseCacheSdkTests : IAsyncLifetime
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

    [Fact]
    public async Task StreamingChat_SecondCallIsReplayed_WithTheSameTextUpdatesAndUsage()
    {
        _host.Upstream.Behavior.ResponseText = "alpha beta gamma delta";
        var client = new ChatClient("gpt-4o", new ApiKeyCredential(_rawKey), new OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "/api/providers/openai/v1") });
        var options = new ChatCompletionOptions { Temperature = 0 };

        async Task<(List<string> Texts, ChatTokenUsage? Usage)> StreamAsync()
        {
            var texts = new List<string>();
            ChatTokenUsage? usage = null;
            var updates = client.CompleteChatStreamingAsync([new UserChatMessage("greek letters")], options);
            await foreach (var update in updates)
            {
                texts.AddRange(update.ContentUpdate.Select(static p => p.Text));
                usage ??= update.Usage;
            }

            return (texts, usage);
        }

        var first = await StreamAsync();
        await CacheTestClient.UntilStoredAsync(_host, 1);
        var second = await StreamAsync();
        var result = await client.CompleteChatAsync([new UserChatMessage("greek letters")], options);
        ChatCompletion whole = result.Value;

        Assert.Equal(first.Texts, second.Texts);
        Assert.Equal("alpha beta gamma delta", string.Concat(second.Texts));
        Assert.Equal("alpha beta gamma delta", whole.Content[0].Text);
        Assert.Equal(first.Usage?.InputTokenCount, second.Usage?.InputTokenCount);
        Assert.Equal(first.Usage?.OutputTokenCount, second.Usage?.OutputTokenCount);
        Assert.Equal("HIT", result.GetRawResponse().Headers.TryGetValue("x-bt-cached", out var header) ? header : null);
        Assert.Single(_host.Upstream.Requests);
    }
}
