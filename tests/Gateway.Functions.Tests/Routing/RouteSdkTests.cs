using System.ClientModel;
using Gateway.Domain.Config;
using Gateway.Domain.Routing;
using Gateway.Testing.FakeLlm;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;

namespace Gateway.Functions.Tests.Routing;

/// <summary>The official OpenAI SDK pointed at a route: its base URL is the route's prefix.</summary>
public sealed class RouteSdkTests : IAsyncLifetime
{
    private RouteTestRig _rig = null!;

    public async Task InitializeAsync() => _rig = await RouteTestRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private async Task<(string Raw, string Prefix)> RouteAsync(string operation, string? requestFormat)
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var prefix = "/" + Guid.NewGuid().ToString("n")[..10];
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var route = new Route
        {
            Id = Guid.NewGuid().ToString(),
            Path = prefix + "/" + operation,
            KeyIds = [key.KeyId],
            RequestFormat = requestFormat,
            Steps = [RouteTestRig.OpenAiStep(), RouteTestRig.AzureStep()],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await new ConfigCacheWriter(_rig.Host.Redis).UpsertAsync(route);
        await _rig.Host.WaitUntilAsync(s => s.RoutesByPath.ContainsKey(route.Path));
        return (raw, prefix);
    }

    private OpenAIClientOptions Options(string prefix) => new() { Endpoint = new Uri(_rig.Host.BaseAddress, "/api/routes" + prefix) };

    [Fact]
    public async Task StreamingChat_FirstStepOverloaded_SdkGetsTheSecondStepsStream()
    {
        var (raw, prefix) = await RouteAsync("chat/completions", null);
        _rig.First.Behavior.FailAlways(FakeLlmFault.ServiceUnavailable());
        var client = new ChatClient("any-model", new ApiKeyCredential(raw), Options(prefix));
        var text = new System.Text.StringBuilder();

        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("one two three")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }
        }

        Assert.Equal(FakeLlmBehavior.DefaultResponseText, text.ToString());
        Assert.Equal("gpt-4o", (string?)_rig.Second.LastRequest!.ParseJsonBody()!["model"]);
    }

    [Fact]
    public async Task Embeddings_RouteWithEmbeddingsFormat_GoesToTheEmbeddingsPath()
    {
        var (raw, prefix) = await RouteAsync("embeddings", "openai_embeddings");
        var client = new EmbeddingClient("any-model", new ApiKeyCredential(raw), Options(prefix));

        OpenAIEmbedding embedding = await client.GenerateEmbeddingAsync("hello there");

        Assert.Equal(FakeLlmBehavior.DefaultEmbeddingDimensions, embedding.ToFloats().Length);
        Assert.Equal("/v1/embeddings", _rig.First.LastRequest!.Path);
        Assert.Equal("gpt-4o-mini", (string?)_rig.First.LastRequest.ParseJsonBody()!["model"]);
    }
}
