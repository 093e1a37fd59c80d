using Gateway.Domain.Providers;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Tests.Forwarding;

/// <summary>An adapter reuses the last upstream URL it mapped only when every part of it is the same.</summary>
public sealed class MappedUriTests
{
    private static readonly IOptions<UpstreamOptions> Upstreams = Options.Create(new UpstreamOptions
    {
        OpenAI = new() { BaseUrl = "https://openai.example" },
        Azure = new() { BaseUrl = "https://{resourceName}.azure.example" },
    });

    [Fact]
    public void MapUri_SameParts_SameUrl_AnyPartChanged_ItsOwnUrl()
    {
        var adapter = new OpenAiAdapter(Upstreams);
        var first = Map(adapter, "v1/chat/completions", "", null);

        Assert.Same(first, Map(adapter, "v1/chat/completions", "", null));
        Assert.Equal("https://openai.example/v1/embeddings", Map(adapter, "v1/embeddings", "", null).AbsoluteUri);
        Assert.Equal("https://openai.example/v1/embeddings?limit=2", Map(adapter, "v1/embeddings", "?limit=2", null).AbsoluteUri);
        Assert.Equal("https://openai.example/v1/embeddings?limit=3", Map(adapter, "v1/embeddings", "?limit=3", null).AbsoluteUri);
        Assert.Equal("http://127.0.0.1:9/v1/embeddings?limit=3", Map(adapter, "v1/embeddings", "?limit=3", "http://127.0.0.1:9").AbsoluteUri);
        Assert.Equal("https://openai.example/v1/chat/completions", Map(adapter, "v1/chat/completions", "", null).AbsoluteUri);
    }

    [Fact]
    public void MapUri_AzureDeploymentOrResourceChanged_ItsOwnUrl()
    {
        var adapter = new AzureOpenAiAdapter(Upstreams);

        Assert.Equal("https://res1.azure.example/openai/deployments/d1/chat/completions?api-version=1", MapAzure(adapter, "res1", "d1").AbsoluteUri);
        Assert.Equal("https://res1.azure.example/openai/deployments/d2/chat/completions?api-version=1", MapAzure(adapter, "res1", "d2").AbsoluteUri);
        Assert.Equal("https://res2.azure.example/openai/deployments/d2/chat/completions?api-version=1", MapAzure(adapter, "res2", "d2").AbsoluteUri);
    }

    private static Uri Map(IProviderAdapter adapter, string path, string query, string? baseUrl)
    {
        var context = Context(adapter, path, null, query);
        var setting = new ProviderSetting { Id = "s1", Provider = adapter.Name, Parameters = baseUrl is null ? [] : new() { ["baseUrl"] = baseUrl } };
        return adapter.MapUri(context, UpstreamAttempt.Direct(context, setting))!;
    }

    private static Uri MapAzure(IProviderAdapter adapter, string resource, string deployment)
    {
        var context = Context(adapter, "chat/completions", deployment, "?api-version=1");
        var setting = new ProviderSetting { Id = "s1", Provider = adapter.Name, Parameters = new() { ["resourceName"] = resource } };
        return adapter.MapUri(context, UpstreamAttempt.Direct(context, setting))!;
    }

    private static ProxyContext Context(IProviderAdapter adapter, string path, string? deployment, string query)
    {
        var http = new DefaultHttpContext();
        http.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return new ProxyContext { Http = http, Adapter = adapter, Path = path, DeploymentId = deployment };
    }
}
