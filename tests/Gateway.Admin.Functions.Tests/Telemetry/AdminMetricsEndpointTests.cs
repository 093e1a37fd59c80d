using System.Net;
using Gateway.Admin.Functions.Tests.Support;
using Gateway.Testing;

namespace Gateway.Admin.Functions.Tests.Telemetry;

/// <summary>The admin app's <c>GET /api/metrics</c>: its own bearer token, not the admin secret; trace id on every answer.</summary>
public sealed class AdminMetricsEndpointTests : IAsyncLifetime
{
    private const string Token = "admin-scrape-token";
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
            ["Telemetry:Prometheus:Enabled"] = "true",
            ["Telemetry:Prometheus:Token"] = Token,
        });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _pg.DisposeAsync();
    }

    [Fact]
    public async Task Scrape_WithScrapeTokenAndNoAdminSecret_ServesPrometheusText()
    {
        using var client = new HttpClient { BaseAddress = _app.BaseAddress };
        using (var refused = await client.GetAsync("/api/key-management/keys"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Matches("^[0-9a-f]{32}$", Assert.Single(refused.Headers.GetValues("x-gateway-trace-id")));
        }

        using var anonymous = await client.GetAsync("/api/metrics");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/metrics") { Headers = { Authorization = new("Bearer", Token) } };
        using var scrape = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        var text = await scrape.Content.ReadAsStringAsync();
        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("http_response_status_code=\"401\"", text, StringComparison.Ordinal);
    }
}
