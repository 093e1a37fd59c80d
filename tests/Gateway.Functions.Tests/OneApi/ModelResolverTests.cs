using Gateway.Domain.Providers;
using Gateway.Functions.Forwarding;
using Gateway.Functions.OneApi;
using Gateway.Functions.Providers;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Tests.OneApi;

/// <summary>Model → provider: explicit prefix, then allowedModels, then family; ambiguity and no match are errors naming what was tried.</summary>
public sealed class ModelResolverTests
{
    private static readonly ProviderAdapters Adapters = new(
    [
        new OpenAiAdapter(Options.Create(new UpstreamOptions())),
        new AnthropicAdapter(Options.Create(new UpstreamOptions())),
        new AzureOpenAiAdapter(Options.Create(new UpstreamOptions())),
        new VllmAdapter(),
    ]);

    private static ProviderSetting Setting(string provider, string name = "", params string[] models)
        => new() { Id = Guid.NewGuid().ToString(), Provider = provider, Name = name, AllowedModels = [.. models] };

    [Theory]
    [InlineData("anthropic/claude-3-5-haiku-20241022", "anthropic", "claude-3-5-haiku-20241022")]
    [InlineData("openai/gpt-4o-mini", "openai", "gpt-4o-mini")]
    [InlineData("azure/my-deployment", "azure", "my-deployment")]
    [InlineData("local-llama/meta-llama/Llama-3-8b", "vllm", "meta-llama/Llama-3-8b")]
    [InlineData("gpt-4o", "openai", "gpt-4o")]
    [InlineData("o1-mini", "openai", "o1-mini")]
    [InlineData("o3", "openai", "o3")]
    [InlineData("o4-mini", "openai", "o4-mini")]
    [InlineData("text-embedding-3-small", "openai", "text-embedding-3-small")]
    [InlineData("claude-sonnet-4-20250514", "anthropic", "claude-sonnet-4-20250514")]
    [InlineData("meta-llama/Llama-3-8b", "vllm", "meta-llama/Llama-3-8b")]
    public void Resolve_Model_PicksProviderAndUpstreamName(string model, string provider, string upstreamModel)
    {
        ProviderSetting[] settings =
        [
            Setting("openai"), Setting("anthropic"), Setting("azure", "", "my-deployment"),
            Setting("vllm", "local-llama", "meta-llama/Llama-3-8b"),
        ];

        var (resolution, error) = ModelResolver.Resolve(model, settings, Adapters);

        Assert.Null(error);
        Assert.Equal(provider, resolution!.Target.Name);
        Assert.Equal(upstreamModel, resolution.UpstreamModel);
        Assert.All(resolution.Settings, s => Assert.Equal(provider, s.Provider));
    }

    [Fact]
    public void Resolve_AllowedModelsBeforeFamily()
    {
        var azure = Setting("azure", "", "gpt-4o");

        var (resolution, _) = ModelResolver.Resolve("gpt-4o", [Setting("openai"), azure], Adapters);

        Assert.Equal("azure", resolution!.Target.Name);
        Assert.Same(azure, Assert.Single(resolution.Settings));
    }

    [Fact]
    public void Resolve_ListedByTwoProviders_IsAmbiguous()
    {
        var (resolution, error) = ModelResolver.Resolve("gpt-4o", [Setting("openai", "", "gpt-4o"), Setting("azure", "", "gpt-4o")], Adapters);

        Assert.Null(resolution);
        Assert.Contains("'gpt-4o' is ambiguous", error, StringComparison.Ordinal);
        Assert.Contains("openai and azure", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_FamilyWithoutAnAllowingSetting_SaysSo()
    {
        var (resolution, error) = ModelResolver.Resolve("claude-3-opus", [Setting("openai"), Setting("anthropic", "", "claude-3-5-haiku-20241022")], Adapters);

        Assert.Null(resolution);
        Assert.Contains("'claude-3-opus'", error, StringComparison.Ordinal);
        Assert.Contains("model family 'claude-*' → anthropic", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_UnknownPrefixAndModel_NamesEverythingTried()
    {
        var (resolution, error) = ModelResolver.Resolve("mistral/mixtral-8x7b", [Setting("openai")], Adapters);

        Assert.Null(resolution);
        Assert.Contains("prefix 'mistral'", error, StringComparison.Ordinal);
        Assert.Contains("allowedModels", error, StringComparison.Ordinal);
        Assert.Contains("model families", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_ProviderPrefixWithoutSetting_SaysTheKeyHasNone()
    {
        var (_, error) = ModelResolver.Resolve("anthropic/claude-3-5-haiku-20241022", [Setting("openai")], Adapters);

        Assert.Contains("provider 'anthropic' (the key has no setting of it)", error, StringComparison.Ordinal);
    }
}
