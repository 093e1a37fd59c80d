using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Tests.Support;
using Gateway.Testing;

namespace Gateway.Admin.Functions.Tests.Hosting;

public sealed class AdminHostContractTests : IAsyncLifetime
{
    private readonly PostgresDatabase _pg = new();
    private GatewayAppFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        await _pg.InitializeAsync();
        _app = await GatewayApps.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _pg.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = RedisTestConnection.NewPrefix(),
            ["Admin:Secret"] = AdminApi.Secret,
            ["Encryption:Key"] = AdminApi.NewEncryptionKey(),
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _pg.DisposeAsync();
    }

    [Fact]
    public void FunctionsMetadata_EveryFunction_IsAnAnonymousHttpFunctionWithARoute()
        => Assert.NotEmpty(FunctionAppContract.LoadFunctions("Gateway.Admin.Functions"));

    [Fact]
    public void FunctionsMetadata_MatchesTheEndpointsLocalModeMaps()
        => FunctionAppContract.AssertCoversEndpoints("Gateway.Admin.Functions", _app.Services);

    [Fact]
    public async Task Health_PostgresAndRedisUp_Answers200WithBothHealthy()
    {
        using var client = new HttpClient { BaseAddress = _app.BaseAddress };
        using var response = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Healthy", (string?)body["status"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["postgres"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["redis"]);
    }

    [Fact]
    public async Task Health_PostgresDown_Still200AndReportsPostgresUnhealthy()
    {
        await using var app = await GatewayApps.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=1",
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Encryption:Key"] = AdminApi.NewEncryptionKey(),
        });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var response = await client.GetAsync("/api/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("Unhealthy", (string?)body["checks"]!["postgres"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["redis"]);
    }

    [Fact]
    public void Startup_PostgresSettingMissing_FailsNamingTheSetting()
    {
        // StartupFailure retries WebApplicationFactory's race that can replace the app's own
        // error with an ObjectDisposedException (see there).
        var error = GatewayApps.StartupFailure<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = string.Empty,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Encryption:Key"] = AdminApi.NewEncryptionKey(),
        });
        Assert.NotNull(error);
        Assert.Contains("ConnectionStrings__Postgres", error.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("c2hvcnQta2V5")]
    public void Startup_EncryptionKeyMissingOrInvalid_FailsNamingTheSetting(string key)
    {
        var error = GatewayApps.StartupFailure<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _pg.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Encryption:Key"] = key,
        });
        Assert.NotNull(error);
        Assert.Contains("Encryption__Key", error.ToString());
    }
}
