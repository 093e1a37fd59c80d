using System.Net;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Transport;
using Gateway.Ingest.Functions.Tests.Usage;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace Gateway.Ingest.Functions.Tests.Telemetry;

/// <summary>The ingest app's telemetry: ingest lag and spend applied (in-memory exporter), and its Prometheus scrape.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class IngestTelemetryCollection
{
    public const string Name = "IngestTelemetry";
}

[Collection(IngestTelemetryCollection.Name)]
public sealed class IngestTelemetryTests : IAsyncLifetime
{
    private readonly IngestHost _host = new();
    private readonly List<MetricSnapshot> _metrics = [];
    private GatewayAppFactory<Program> _app = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var settings = _host.Settings();
        settings["Telemetry:Prometheus:Enabled"] = "true";
        _app = await GatewayApps.StartAsync<Program>(settings, services => services.AddOpenTelemetry().WithMetrics(m => m.AddInMemoryExporter(_metrics)));
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Ingest_EventCreatedTwoSecondsAgo_RecordsItsLagOnceAndItsSpend()
    {
        var message = IngestHost.ChatEvent("key-telemetry", at: DateTimeOffset.UtcNow.AddSeconds(-2));
        var ingestor = _app.Services.GetRequiredService<UsageIngestor>();

        await ingestor.IngestAsync(UsageMessageCodec.Serialize(message), CancellationToken.None);
        await ingestor.IngestAsync(UsageMessageCodec.Serialize(message), CancellationToken.None);

        _app.Services.GetRequiredService<MeterProvider>().ForceFlush();
        var lag = Assert.Single(Points("gateway.usage.ingest.lag"));
        Assert.Equal(1, lag.GetHistogramCount());
        Assert.True(lag.GetHistogramSum() >= 2, $"lag {lag.GetHistogramSum()} s");
        var spend = Assert.Single(Points("gateway.usage.spend_applied"));
        Assert.Equal(0.0075, spend.GetSumDouble(), 6);
    }

    [Fact]
    public async Task Scrape_Enabled_ServesPrometheusText()
    {
        using var client = new HttpClient { BaseAddress = _app.BaseAddress };
        using (var health = await client.GetAsync("/api/health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        using var scrape = await client.GetAsync("/api/metrics");

        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{", await scrape.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private List<MetricPoint> Points(string name)
    {
        // Cumulative: the last export of the metric holds the totals.
        var last = _metrics.LastOrDefault(m => m.Name == name);
        return last is null ? [] : [.. last.MetricPoints];
    }
}
