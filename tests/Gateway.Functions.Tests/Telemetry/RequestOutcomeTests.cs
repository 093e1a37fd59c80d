using System.Diagnostics.Metrics;
using Gateway.Domain.Telemetry;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;
using Gateway.Functions.Telemetry;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace Gateway.Functions.Tests.Telemetry;

/// <summary>
/// The outcomes the proxy cannot produce yet end to end (a cache hit: issue 15; a policy refusal:
/// issue 16) as the steps will mark them, through the same recording path and in-memory exporter.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class RequestOutcomeTests
{
    private static readonly IProviderAdapter OpenAi = new OpenAiAdapter(Options.Create(new UpstreamOptions()));

    [Theory]
    [InlineData(nameof(ProxyErrorKind.Authentication), 401, "refused_auth")]
    [InlineData(nameof(ProxyErrorKind.Permission), 403, "refused_auth")]
    [InlineData(nameof(ProxyErrorKind.RateLimited), 429, "refused_limit")]
    [InlineData(nameof(ProxyErrorKind.InvalidRequest), 400, "invalid_request")]
    [InlineData(nameof(ProxyErrorKind.Unavailable), 503, "unavailable")]
    [InlineData(nameof(ProxyErrorKind.UpstreamTimeout), 504, "upstream_error")]
    [InlineData(nameof(ProxyErrorKind.ClientGone), 499, "client_gone")]
    [InlineData(nameof(ProxyErrorKind.Internal), 500, "error")]
    public void Of_GatewayOutcome_MapsToItsLabel(string kind, int status, string expected)
    {
        using var context = NewContext();
        context.Outcome = new ProxyOutcome(status, Enum.Parse<ProxyErrorKind>(kind), "x");
        context.Status = status;

        Assert.Equal(expected, RequestOutcome.Of(context));
    }

    [Theory]
    [InlineData(200, "ok")]
    [InlineData(500, "upstream_error")]
    [InlineData(429, "upstream_error")]
    public void Of_UpstreamAnswered_OkOrUpstreamError(int status, string expected)
    {
        using var context = NewContext();
        context.Status = status;

        Assert.Equal(expected, RequestOutcome.Of(context));
    }

    [Fact]
    public void RequestEnded_CacheHitAndPolicyRefusal_CountedWithTheirOutcomes()
    {
        var exported = new List<MetricSnapshot>();
        var services = new ServiceCollection();
        services.AddMetrics();
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(ProxyTelemetry.Name).AddInMemoryExporter(exported));
        using var provider = services.BuildServiceProvider();
        var meterProvider = provider.GetRequiredService<MeterProvider>();
        var telemetry = new ProxyTelemetry(provider.GetRequiredService<IMeterFactory>(), Options.Create(new TelemetryOptions()), TimeProvider.System);

        using (var cached = NewContext())
        {
            cached.Status = 200;
            cached.Cached = true;
            telemetry.RequestEnded(cached);
        }

        using (var refused = NewContext())
        {
            refused.Privacy = new Gateway.Functions.Privacy.PrivacyRecord("policy-1");
            refused.Privacy.Add(Gateway.Domain.Privacy.PiiAction.Block, new Dictionary<string, int>());
            refused.Outcome = ProxyOutcome.BadRequest("the request contains PII the policy blocks");
            refused.Status = 400;
            telemetry.RequestEnded(refused);
            telemetry.RequestEnded(refused);
        }

        meterProvider.ForceFlush();
        var points = exported.Where(m => m.Name == "gateway.proxy.requests").SelectMany(m => m.MetricPoints).ToList();
        Assert.Equal(1, points.Where(p => Is(p, "gateway.outcome", "cached") && Is(p, "http.response.status_code", 200)).Sum(p => p.GetSumLong()));
        Assert.Equal(2, points.Where(p => Is(p, "gateway.outcome", "refused_policy") && Is(p, "http.response.status_code", 400)).Sum(p => p.GetSumLong()));
    }

    private static bool Is(MetricPoint point, string key, object value)
        => TelemetryCapture.Tags(point).TryGetValue(key, out var actual) && Equals(actual is int i ? (long)i : actual, value is int v ? (long)v : value);

    private static ProxyContext NewContext() => new()
    {
        Http = new DefaultHttpContext(),
        Adapter = OpenAi,
        Path = "v1/chat/completions",
    };
}
