using System.Text.Json;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Routing;

/// <summary>
/// A proxy with two fake providers: the host's own upstream serves OpenAI (a route's first step),
/// <see cref="Second"/> serves Azure through the setting's <c>baseUrl</c> (a route's second step).
/// </summary>
internal sealed class RouteTestRig : IAsyncDisposable
{
    public const string AzureUpstreamKey = "azure-upstream-key";

    private RouteTestRig(ProxyTestHost host, FakeLlmServer second)
    {
        Host = host;
        Second = second;
    }

    public ProxyTestHost Host { get; }

    public FakeLlmServer First => Host.Upstream;

    public FakeLlmServer Second { get; }

    public static async Task<RouteTestRig> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var host = new ProxyTestHost(settings);
        await host.InitializeAsync();
        return new RouteTestRig(host, await FakeLlmServer.StartAsync());
    }

    /// <summary>A key with an OpenAI setting (the host's upstream) and an Azure setting (<see cref="Second"/>).</summary>
    public async Task<(ApiKey Key, string Raw)> AddKeyAsync(Action<ApiKey>? configure = null)
    {
        var openAi = await Host.AddSettingAsync();
        var azure = await Host.AddSettingAsync("azure", AzureUpstreamKey, new() { ["resourceName"] = "unused", ["baseUrl"] = Second.BaseUrl.ToString() });
        return await Host.AddKeyAsync(configure, openAi, azure);
    }

    public async Task<Route> AddRouteAsync(string keyId, string? retryStrategy, params RouteStep[] steps)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var route = new Route
        {
            Id = Guid.NewGuid().ToString(),
            Name = "failover",
            Path = "/" + Guid.NewGuid().ToString("n")[..12] + "/chat",
            KeyIds = [keyId],
            RetryStrategy = retryStrategy,
            Steps = [.. steps],
            CreatedAt = now,
            UpdatedAt = now,
        };
        await new ConfigCacheWriter(Host.Redis).UpsertAsync(route);
        await Host.WaitUntilAsync(s => s.RoutesByPath.ContainsKey(route.Path));
        return route;
    }

    public static RouteStep OpenAiStep(int retries = 0, string? timeout = null, string interval = "10ms") => new()
    {
        Provider = "openai",
        Model = "gpt-4o-mini",
        Retries = retries,
        RetryInterval = interval,
        Timeout = timeout,
    };

    public static RouteStep AzureStep() => new()
    {
        Provider = "azure",
        Model = "gpt-4o",
        Params = new() { ["deploymentId"] = "gpt4o-deployment", ["apiVersion"] = "2024-10-21" },
    };

    public static HttpRequestMessage Chat(Route route, bool stream = false, string prefix = "/api/routes")
        => ProxyAccessTests.Json(prefix + route.Path, JsonSerializer.Serialize(new
        {
            model = "client-model",
            stream,
            messages = new[] { new { role = "user", content = "a b c" } },
        }));

    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await Host.DisposeAsync();
    }
}
