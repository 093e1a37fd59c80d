using System.Net;
using System.Text.Json.Nodes;
using Gateway.Domain.Keys;
using Gateway.Domain.Redis;
using Gateway.Ingest.Functions.Functions;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Gateway.Testing;

namespace Gateway.Ingest.Functions.Tests.Hosting;

/// <summary>The ingest app under the isolated-worker contract: its functions against local mode, health, the timer function.</summary>
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
    public void FunctionsMetadata_ConfigRefresh_IsATimerOnTheConfiguredSchedule()
    {
        var functions = FunctionAppContract.LoadFunctions("Gateway.Ingest.Functions");
        var timer = Assert.Single(functions, f => f.Name == "config-refresh");
        Assert.Equal("timerTrigger", timer.TriggerType);
        Assert.Equal("%ConfigRefreshSchedule%", (string?)timer.Trigger["schedule"]);
    }

    [Fact]
    public void FunctionsMetadata_MatchesTheEndpointsAndTriggersLocalModeRuns()
        => FunctionAppContract.AssertCoversEndpoints("Gateway.Ingest.Functions", _app.Services);

    [Fact]
    public async Task ConfigRefresh_TimerFunction_RebuildsTheCacheFromPostgres()
    {
        var (key, raw) = TestData.NewKey("from postgres");
        await using (var db = _pg.CreateDbContext())
        {
            db.Keys.Add(key);
            await db.SaveChangesAsync();
        }

        // What the host's timer trigger invokes.
        var function = ActivatorUtilities.CreateInstance<ConfigRefreshTimerFunction>(_app.Services);
        await function.RunAsync(new TimerInfo { IsPastDue = false }, CancellationToken.None);

        var redis = await _redis.GetDatabaseAsync();
        Assert.True((long)await redis.StringGetAsync(_prefix + "config:version") > 0);
        var cached = (string?)await redis.HashGetAsync(_prefix + "config:keys", key.KeyId);
        Assert.NotNull(cached);
        Assert.Contains(ApiKeyHash.Compute(raw).ToHex(), cached);
        Assert.DoesNotContain(raw, cached);
    }

    [Fact]
    public async Task ConfigRefresh_PostgresUnreachable_TimerFunctionThrowsForTheHostToLog()
    {
        await using var app = await GatewayApps.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=1",
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = RedisTestConnection.NewPrefix(),
            ["ConfigRefresh:RunOnStartup"] = "false",
            ["UsageConsumer:Enabled"] = "false",
        });
        var function = ActivatorUtilities.CreateInstance<ConfigRefreshTimerFunction>(app.Services);

        await Assert.ThrowsAnyAsync<Exception>(() => function.RunAsync(new TimerInfo(), CancellationToken.None));
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
        var error = GatewayApps.StartupFailure<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _pg.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["ConfigRefreshSchedule"] = "every minute",
        });
        Assert.NotNull(error);
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
