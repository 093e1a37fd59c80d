using System.Text;
using Gateway.Domain.Providers;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Tests.Providers;

/// <summary>Each adapter's request mapping (URL, credential, known paths, usage chunk) and usage reading, without sockets.</summary>
public sealed class ProviderAdapterTests
{
    private static readonly IOptions<UpstreamOptions> Upstreams = Options.Create(new UpstreamOptions
    {
        OpenAI = new() { BaseUrl = "https://openai.example" },
        Azure = new() { BaseUrl = "https://{resourceName}.azure.example" },
        Anthropic = new() { BaseUrl = "https://anthropic.example/" },
        DeepInfra = new() { BaseUrl = "https://deepinfra.example/v1/openai" },
    });

    private static readonly Dictionary<string, string> Secrets = new() { ["apikey"] = "sk-upstream", ["token"] = "custom-secret" };

    [Theory]
    [InlineData("openai", "v1/chat/completions", null, "", "https://openai.example/v1/chat/completions")]
    [InlineData("openai", "v1/files/file-1/content", null, "?limit=2", "https://openai.example/v1/files/file-1/content?limit=2")]
    [InlineData("azure", "chat/completions", "my deploy", "?api-version=2024-10-21", "https://res1.azure.example/openai/deployments/my%20deploy/chat/completions?api-version=2024-10-21")]
    [InlineData("anthropic", "v1/messages", null, "", "https://anthropic.example/v1/messages")]
    [InlineData("vllm", "v1/completions", null, "", "http://vllm.local:8000/v1/completions")]
    [InlineData("deepinfra", "v1/chat/completions", null, "", "https://deepinfra.example/v1/openai/chat/completions")]
    public void MapUri_BuildsTheProvidersUrl(string provider, string path, string? deployment, string query, string expected)
    {
        var adapter = Adapter(provider);
        var context = Context(adapter, path, deployment, query);
        var setting = Setting(provider, new() { ["resourceName"] = "res1", ["url"] = "http://vllm.local:8000/" });

        Assert.Equal(expected, adapter.MapUri(context, UpstreamAttempt.Direct(context, setting))!.AbsoluteUri);
    }

    [Fact]
    public void MapUri_SettingBaseUrlOverrides_AndMissingParameterGivesNull()
    {
        var openAi = Adapter("openai");
        Assert.Equal("http://127.0.0.1:9/v1/models", Map(openAi, Context(openAi, "v1/models"), Setting("openai", new() { ["baseUrl"] = "http://127.0.0.1:9" }))!.ToString());

        var azure = Adapter("azure");
        Assert.Null(Map(azure, Context(azure, "chat/completions", "d"), Setting("azure", [])));
        var vllm = Adapter("vllm");
        Assert.Null(Map(vllm, Context(vllm, "v1/completions"), Setting("vllm", [])));
    }

    [Theory]
    [InlineData("openai", "Authorization", "Bearer sk-upstream")]
    [InlineData("deepinfra", "Authorization", "Bearer sk-upstream")]
    [InlineData("vllm", "Authorization", "Bearer sk-upstream")]
    [InlineData("azure", "api-key", "sk-upstream")]
    [InlineData("anthropic", "x-api-key", "sk-upstream")]
    public void ApplyCredential_PutsTheKeyWhereTheProviderExpectsIt(string provider, string header, string value)
    {
        using var message = new HttpRequestMessage();
        Adapter(provider).ApplyCredential(message.Headers, Secrets);

        Assert.Equal(value, Assert.Single(message.Headers).Value.Single());
        Assert.Equal(header, Assert.Single(message.Headers).Key, ignoreCase: true);
    }

    [Fact]
    public void ApplyCredential_VllmWithoutKey_SendsNoAuthorization()
    {
        using var message = new HttpRequestMessage();
        Adapter("vllm").ApplyCredential(message.Headers, new Dictionary<string, string>());
        Assert.Empty(message.Headers);
    }

    [Theory]
    [InlineData("openai", "v1/chat/completions", true)]
    [InlineData("openai", "v1/vector_stores/vs_1/files", true)]
    [InlineData("openai", "v2/chat", false)]
    [InlineData("openai", "v1/chat/completionsX", false)]
    [InlineData("azure", "embeddings", true)]
    [InlineData("azure", "assistants", false)]
    [InlineData("anthropic", "v1/messages/count_tokens", true)]
    [InlineData("anthropic", "v1/chat/completions", false)]
    [InlineData("vllm", "v1/models", true)]
    [InlineData("deepinfra", "v1/models", false)]
    public void IsKnownPath(string provider, string path, bool known) => Assert.Equal(known, Adapter(provider).IsKnownPath(path));

    [Theory]
    [InlineData("openai", "v1/chat/completions", "", true)]
    [InlineData("openai", "v1/embeddings", "", false)]
    [InlineData("azure", "chat/completions", "?api-version=2024-10-21", true)]
    [InlineData("azure", "chat/completions", "?api-version=2024-06-01", false)]
    [InlineData("anthropic", "v1/messages", "", false)]
    [InlineData("vllm", "v1/completions", "", true)]
    [InlineData("deepinfra", "v1/chat/completions", "", true)]
    public void CanForceUsageChunk(string provider, string path, string query, bool expected)
    {
        var adapter = Adapter(provider);
        var context = Context(adapter, path, "d", query);
        Assert.Equal(expected, adapter.CanForceUsageChunk(context, UpstreamAttempt.Direct(context, Setting(provider, []))));
    }

    [Fact]
    public void RequestFields_AnthropicUserIsInMetadata_AzureModelIsTheDeployment()
    {
        Assert.Equal("metadata.user_id", Adapter("anthropic").RequestFieldsFor("v1/messages").User[0]);
        Assert.Equal("user", Adapter("openai").RequestFieldsFor("v1/chat/completions").User[0]);
        var azure = Adapter("azure");
        Assert.Equal("gpt4-prod", azure.DefaultModel(Context(azure, "chat/completions", "gpt4-prod")));
        Assert.Null(Adapter("openai").DefaultModel(Context(Adapter("openai"), "v1/chat/completions")));
    }

    [Fact]
    public void ErrorStyle_AnthropicOwnShape_OthersOpenAi()
    {
        Assert.Equal(ApiStyle.Anthropic, Adapter("anthropic").ErrorStyle);
        Assert.All(new[] { "openai", "azure", "vllm", "deepinfra" }, p => Assert.Equal(ApiStyle.OpenAI, Adapter(p).ErrorStyle));
    }

    [Theory]
    [InlineData("openai")]
    [InlineData("azure")]
    [InlineData("vllm")]
    [InlineData("deepinfra")]
    public void UsageReader_OpenAiJsonInChunks_ReadsUsageAndText(string provider)
    {
        var usage = new UsageRecorder();
        var reader = Adapter(provider).CreateUsageReader("application/json", usage)!;
        var body = """{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"Hi there"}}],"usage":{"prompt_tokens":11,"completion_tokens":2,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":4}}}"""u8.ToArray();

        reader.ReadChunk(body.AsSpan(0, 40));
        reader.ReadChunk(body.AsSpan(40));
        reader.Complete();

        Assert.Equal(11, usage.Usage!.PromptTokens);
        Assert.Equal(2, usage.Usage.CompletionTokens);
        Assert.Equal("Hi there", usage.CompletionText);
    }

    [Fact]
    public void UsageReader_OpenAiStream_UsageOnlyChunkRecognised()
    {
        var usage = new UsageRecorder();
        var reader = Adapter("openai").CreateUsageReader("text/event-stream", usage)!;

        Assert.False(reader.ReadEvent(Sse("""{"choices":[{"index":0,"delta":{"content":"Hel"}}]}""")));
        Assert.False(reader.ReadEvent(Sse("""{"choices":[{"index":0,"delta":{"content":"lo"}}]}""")));
        Assert.True(reader.ReadEvent(Sse("""{"choices":[],"usage":{"prompt_tokens":5,"completion_tokens":2,"total_tokens":7}}""")));
        Assert.False(reader.ReadEvent("data: [DONE]\n\n"u8));

        Assert.Equal(5, usage.Usage!.PromptTokens);
        Assert.Equal(2, usage.Usage.CompletionTokens);
        Assert.Equal("Hello", usage.CompletionText);
    }

    [Fact]
    public void UsageReader_AnthropicStream_ReadsMessageStartAndDelta()
    {
        var usage = new UsageRecorder();
        var reader = Adapter("anthropic").CreateUsageReader("text/event-stream", usage)!;

        reader.ReadEvent(Encoding.UTF8.GetBytes("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"m\",\"usage\":{\"input_tokens\":9,\"output_tokens\":1}}}\n\n"));
        reader.ReadEvent(Encoding.UTF8.GetBytes("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n"));
        reader.ReadEvent(Encoding.UTF8.GetBytes("event: message_delta\r\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":3}}\r\n\r\n"));

        Assert.Equal(9, usage.Usage!.PromptTokens);
        Assert.Equal(3, usage.Usage.CompletionTokens);
        Assert.Equal("Hi", usage.CompletionText);
    }

    [Fact]
    public void UsageReader_BinaryResponse_None()
        => Assert.Null(Adapter("openai").CreateUsageReader("audio/mpeg", new UsageRecorder()));

    [Fact]
    public void CustomProvider_RoutesFromItsConfig()
    {
        var adapter = new CustomProviderAdapter(new CustomProvider
        {
            Id = "cp1",
            Provider = "acme",
            AuthenticationParam = "token",
            RouteConfigs =
            [
                new CustomRouteConfig { Path = "/chat", TargetUrl = "https://acme.example/v2/generate", ModelLocation = "params.model", StreamLocation = "params.stream" },
            ],
        });
        var context = Context(adapter, "chat", query: "?x=1");
        using var message = new HttpRequestMessage();

        adapter.ApplyCredential(message.Headers, Secrets);

        Assert.Equal("acme", adapter.Name);
        Assert.Null(adapter.Route);
        Assert.True(adapter.IsKnownPath("chat"));
        Assert.False(adapter.IsKnownPath("other"));
        Assert.Equal("https://acme.example/v2/generate?x=1", Map(adapter, context, Setting("acme", []))!.ToString());
        Assert.Equal("Bearer custom-secret", message.Headers.Authorization!.ToString());
        Assert.Equal("params.model", adapter.RequestFieldsFor("/chat/").Model);
        Assert.Equal("params.stream", adapter.RequestFieldsFor("chat").Stream);
        Assert.False(adapter.CanForceUsageChunk(context, UpstreamAttempt.Direct(context, Setting("acme", []))));
        Assert.Equal(ApiStyle.OpenAI, adapter.ErrorStyle);
    }

    private static IProviderAdapter Adapter(string provider) => provider switch
    {
        "openai" => new OpenAiAdapter(Upstreams),
        "azure" => new AzureOpenAiAdapter(Upstreams),
        "anthropic" => new AnthropicAdapter(Upstreams),
        "vllm" => new VllmAdapter(),
        "deepinfra" => new DeepInfraAdapter(Upstreams),
        _ => throw new ArgumentOutOfRangeException(nameof(provider)),
    };

    private static ProxyContext Context(IProviderAdapter adapter, string path, string? deployment = null, string query = "")
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return new ProxyContext { Http = http, Adapter = adapter, Path = path, DeploymentId = deployment };
    }

    private static Uri? Map(IProviderAdapter adapter, ProxyContext context, ProviderSetting setting)
        => adapter.MapUri(context, UpstreamAttempt.Direct(context, setting));

    private static ProviderSetting Setting(string provider, Dictionary<string, string> parameters)
        => new() { Id = "s1", Provider = provider, Parameters = parameters };

    private static byte[] Sse(string json) => Encoding.UTF8.GetBytes("data: " + json + "\n\n");
}
