using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.OneApi;

/// <summary>
/// The two one-API targets whose requests pass through unchanged: OpenAI (<c>gpt-4o-mini</c>) and
/// an Azure OpenAI resource (<c>azure/&lt;deployment&gt;</c>), with what the fake provider must receive for each.
/// </summary>
internal sealed record PassThroughTarget(string Name, string ChatModel, string EmbeddingModel)
{
    public const string AzureKey = "azure-upstream-key";
    public const string AzureApiVersion = "2024-10-21";

    public static PassThroughTarget OpenAi { get; } = new("openai", "gpt-4o-mini", "text-embedding-3-small");

    public static PassThroughTarget Azure { get; } = new("azure", "azure/my-gpt4o", "azure/my-embedder");

    /// <summary>xUnit data: the target names, for <see cref="Of"/>.</summary>
    public static TheoryData<string> Names => new() { "openai", "azure" };

    public static PassThroughTarget Of(string name) => name == "azure" ? Azure : OpenAi;

    /// <summary>The provider (and usage event) name.</summary>
    public string Provider => Name;

    /// <summary>The model the usage event names: the OpenAI model or the Azure deployment.</summary>
    public string EventModel(string model) => model[(model.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>The upstream path for an OpenAI operation such as <c>chat/completions</c>.</summary>
    public string UpstreamPath(string model, string operation)
        => Name == "azure" ? $"/openai/deployments/{EventModel(model)}/{operation}" : $"/v1/{operation}";

    /// <summary>A gateway key reaching both targets, with one setting each.</summary>
    public static async Task<string> AddKeyForBothAsync(ProxyTestHost host)
    {
        var openAi = await host.AddSettingAsync();
        var azure = await host.AddSettingAsync("azure", apiKey: AzureKey, parameters: new() { ["resourceName"] = "res1" });
        return (await host.AddKeyAsync(null, openAi, azure)).Raw;
    }

    /// <summary>Asserts the request reached this target's endpoint for <paramref name="operation"/> with its credential.</summary>
    public void AssertReached(RecordedRequest received, string model, string operation)
    {
        Assert.Equal(UpstreamPath(model, operation), received.Path);
        if (Name == "azure")
        {
            Assert.Equal(AzureApiVersion, received.Query("api-version"));
            Assert.Equal(AzureKey, received.Header("api-key"));
            Assert.Null(received.Header("Authorization"));
        }
        else
        {
            Assert.Equal("Bearer " + ProxyTestHost.UpstreamOpenAiKey, received.Header("Authorization"));
            Assert.Equal(model, (string?)received.ParseJsonBody()!["model"]);
        }
    }
}
