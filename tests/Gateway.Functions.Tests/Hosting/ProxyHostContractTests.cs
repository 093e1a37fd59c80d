using System.Net;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.Functions.Tests.Hosting;

public sealed class ProxyHostContractTests : IAsyncLifetime
{
    private GatewayAppFactory<Program> _app = null!;

    public Task InitializeAsync()
    {
        _app = Proxy.ProxyTestHost.CreateApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = RedisTestConnection.NewPrefix(),
        });
        _ = _app.BaseAddress;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public void FunctionsMetadata_Health_IsAnHttpFunction()
    {
        var functions = FunctionAppContract.LoadFunctions("Gateway.Functions");
        Assert.Contains(functions, f => f.Name == "health" && f.Route == "health");
    }

    [Fact]
    public void FunctionsMetadata_MatchesTheEndpointsLocalModeMaps()
        => FunctionAppContract.AssertCoversEndpoints("Gateway.Functions", _app.Services);

    [Fact]
    public async Task Health_RedisUp_Answers200WithRedisHealthy()
    {
        using var client = new HttpClient { BaseAddress = _app.BaseAddress };
        using var response = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.Equal("Proxy", (string?)body["app"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["redis"]);
        Assert.Null(body["checks"]!["postgres"]);
    }

    [Fact]
    public async Task Health_RedisDown_Still200AndReportsRedisUnhealthy()
    {
        await using var app = Proxy.ProxyTestHost.CreateApp(new Dictionary<string, string?>
        {
            // A loopback port nothing listens on.
            ["ConnectionStrings:Redis"] = "127.0.0.1:1,connectTimeout=200",
            ["Redis:KeyPrefix"] = RedisTestConnection.NewPrefix(),
        });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var response = await client.PostAsync("/api/health", null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Unhealthy", (string?)body["status"]);
        Assert.Equal("Unhealthy", (string?)body["checks"]!["redis"]);
    }

    [Fact]
    public void Startup_RedisSettingMissing_FailsNamingTheSetting()
    {
        var error = GatewayApps.StartupFailure(() => Proxy.ProxyTestHost.CreateApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = string.Empty,
        }));
        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings__Redis", error.ToString());
    }

    [Fact]
    public void Startup_VersionCheckIntervalOutOfRange_FailsNamingTheSetting()
    {
        var error = GatewayApps.StartupFailure(() => Proxy.ProxyTestHost.CreateApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["ConfigCache:VersionCheckInterval"] = "00:00:00.001",
        }));
        Assert.NotNull(error);
        Assert.True(error.ToString().Contains("ConfigCache__VersionCheckInterval", StringComparison.Ordinal), error.ToString());
    }
}
