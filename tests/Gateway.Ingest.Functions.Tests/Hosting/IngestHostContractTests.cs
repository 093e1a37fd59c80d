using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Gateway.Domain.Keys;
using Gateway.Domain.Redis;
using Gateway.Testing;

namespace Gateway.Ingest.Functions.Tests.Hosting;

/// <summary>The ingest app under the custom-handler contract: its functions, health, and the timer function's invocation payload.</summary>
public sealed class IngestHostContractTests : IAsyncLifetime
{
    private readonly PostgresDatabase _pg = new();
    private readonly string _prefix = RedisTestConnection.NewPrefix();
    private GatewayAppFactory<Program> _app = null!;
    private RedisConnection _redis = null!;

    public async Task InitializeAsync()
    {
        await _pg.InitializeAsync();
        _redis = RedisTestConnection.Create(_prefix);
        _app = await GatewayApps.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _pg.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = _prefix,
            ["ConfigRefresh:RunOnStartup"] = "false",
            ["UsageConsumer:Enabled"] = "false",
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _redis.DisposeAsync();
        await _pg.DisposeAsync();
    }

    [Fact]
    public void FunctionJson_ConfigRefresh_IsATimerOnTheConfiguredSchedule()
    {
        var functions = FunctionAppContract.LoadFunctions("Gateway.Ingest.Functions");
        var timer = Assert.Single(functions, f => f.Name == "config-refresh");
        Assert.Equal("timerTrigger", timer.TriggerType);
        Assert.Equal("%ConfigRefreshSchedule%", (string?)timer.Trigger["schedule"]);
    }

    [Fact]
    public void Functions_DeclareEveryEndpointTheIngestAppServes()
        => FunctionAppContract.AssertCoversEndpoints("Gateway.Ingest.Functions", _app.Services);

    [Fact]
    public async Task ConfigRefresh_HostTimerPayload_RebuildsCacheAndAnswersInvocationResponse()
    {
        var (key, raw) = TestData.NewKey("from postgres");
        await using (var db = _pg.CreateDbContext())
        {
            db.Keys.Add(key);
            await db.SaveChangesAsync();
        }

        // The payload the Functions host sends for a timer trigger.
        var payload = JsonNode.Parse("""
            {
              "Data": { "timer": { "Schedule": { "AdjustForDST": true }, "ScheduleStatus": { "Last": "2026-11-23T04:00:00+00:00", "Next": "2026-11-23T04:01:00+00:00", "LastUpdated": "2026-11-23T04:00:00+00:00" }, "IsPastDue": false } },
              "Metadata": { "sys": { "MethodName": "config-refresh", "UtcNow": "2026-11-23T04:01:00.0123456Z", "RandGuid": "4b3b0c5e-6a61-4e0b-9f0e-8e1f5c1b2a3d" } }
            }
            """);
        using var client = new HttpClient { BaseAddress = _app.BaseAddress };
        using var response = await client.PostAsJsonAsync("/config-refresh", payload);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(body.ContainsKey("Outputs"));
        Assert.True(body.ContainsKey("Logs"));
        var version = (long)body["ReturnValue"]!;
        Assert.True(version > 0);

        var redis = await _redis.GetDatabaseAsync();
        Assert.Equal(version, (long)await redis.StringGetAsync(_prefix + "config:version"));
        var cached = (string?)await redis.HashGetAsync(_prefix + "config:keys", key.KeyId);
        Assert.NotNull(cached);
        Assert.Contains(ApiKeyHash.Compute(raw).ToHex(), cached);
        Assert.DoesNotContain(raw, cached);
    }

    [Fact]
    public async Task ConfigRefresh_PostgresUnreachable_Answers500SoTheHostRetries()
    {
        await using var app = await GatewayApps.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=1",
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = RedisTestConnection.NewPrefix(),
            ["ConfigRefresh:RunOnStartup"] = "false",
            ["UsageConsumer:Enabled"] = "false",
        });
        using var client = new HttpClient { BaseAddress = app.BaseAddress };
        using var response = await client.PostAsJsonAsync("/config-refresh", JsonNode.Parse("""{"Data":{"timer":{}},"Metadata":{}}"""));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Contains("failed", body["Logs"]!.AsArray().Select(l => (string)l!).Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfigRefresh_MalformedPayload_Answers400()
    {
        using var client = new HttpClient { BaseAddress = _app.BaseAddress };
        using var response = await client.PostAsync("/config-refresh", new StringContent("{not json", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Standalone_RunOnStartup_FillsTheCacheWithoutAnyTrigger()
    {
        var prefix = RedisTestConnection.NewPrefix();
        await using var app = await GatewayApps.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _pg.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = prefix,
            ["ConfigRefresh:RunOnStartup"] = "true",
            ["UsageConsumer:Enabled"] = "false",
        });
        var redis = await _redis.GetDatabaseAsync();
        await Eventually.AssertAsync(() => redis.KeyExists(prefix + "config:version"), TimeSpan.FromSeconds(10), "the standalone timer service ran the refresh at startup");
    }

    [Fact]
    public void Startup_BadSchedule_FailsNamingTheSetting()
    {
        using var app = new GatewayAppFactory<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _pg.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["ConfigRefreshSchedule"] = "every minute",
        });
        var error = Assert.ThrowsAny<Exception>(() => app.BaseAddress);
        Assert.Contains("ConfigRefreshSchedule", error.ToString());
    }

    [Fact]
    public async Task Health_Answers200WithPostgresAndRedis()
    {
        using var client = new HttpClient { BaseAddress = _app.BaseAddress };
        var body = JsonNode.Parse(await client.GetStringAsync("/api/health"))!;
        Assert.Equal("Ingest", (string?)body["app"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["postgres"]);
        Assert.Equal("Healthy", (string?)body["checks"]!["redis"]);
    }
}
