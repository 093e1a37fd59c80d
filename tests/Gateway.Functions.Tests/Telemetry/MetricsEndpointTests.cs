using System.Net;
using System.Net.Http.Headers;
using Gateway.Functions.Tests.Proxy;

namespace Gateway.Functions.Tests.Telemetry;

/// <summary><c>GET /api/metrics</c> scraped over HTTP: Prometheus text, behind its bearer token, off by default.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class MetricsEndpointTests : IAsyncLifetime
{
    private const string Token = "scrape-token-for-tests";
    private readonly ProxyTestHost _host = new(new Dictionary<string, string?>
    {
        ["Telemetry:Prometheus:Enabled"] = "true",
        ["Telemetry:Prometheus:Token"] = Token,
    });

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Scrape_WithToken_ServesTheProxyMetricsAsPrometheusText()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using (var client = _host.CreateClient(raw))
        using (var chat = await client.SendAsync(ProxyTelemetryTests.Chat("gpt-4o", "scrape me")))
        {
            Assert.Equal(HttpStatusCode.OK, chat.StatusCode);
        }

        using var scraper = new HttpClient { BaseAddress = _host.BaseAddress };
        scraper.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        string text = string.Empty;
        await Gateway.Testing.Eventually.AssertAsync(
            () =>
            {
                using var scrape = scraper.GetAsync("/api/metrics").GetAwaiter().GetResult();
                Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
                Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
                text = scrape.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                return text.Contains("gateway_outcome=\"ok\"", StringComparison.Ordinal);
            },
            TimeSpan.FromSeconds(5),
            "the scrape shows the proxied request");

        var requests = text.Split('\n').Where(l => l.StartsWith("gateway_proxy_requests", StringComparison.Ordinal) && l.Contains("gateway_outcome=\"ok\"", StringComparison.Ordinal)).ToList();
        var line = Assert.Single(requests);
        Assert.Contains("http_response_status_code=\"200\"", line, StringComparison.Ordinal);
        Assert.Equal("1", line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0]);
        Assert.Contains("# TYPE gen_ai_client_token_usage", text, StringComparison.Ordinal);
        Assert.Contains("gen_ai_client_operation_duration_seconds_bucket{", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_WithoutOrWithWrongToken_Is401()
    {
        using var scraper = new HttpClient { BaseAddress = _host.BaseAddress };

        using var anonymous = await scraper.GetAsync("/api/metrics");
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/api/metrics") { Headers = { Authorization = new("Bearer", Token + "x") } };
        using var wrongAnswer = await scraper.SendAsync(wrong);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongAnswer.StatusCode);
        Assert.DoesNotContain("gateway_", await anonymous.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_PrometheusNotEnabled_Is404()
    {
        await using var plain = new ProxyTestHost();
        await plain.InitializeAsync();
        using var scraper = new HttpClient { BaseAddress = plain.BaseAddress };

        using var scrape = await scraper.GetAsync("/api/metrics");

        Assert.Equal(HttpStatusCode.NotFound, scrape.StatusCode);
    }
}
