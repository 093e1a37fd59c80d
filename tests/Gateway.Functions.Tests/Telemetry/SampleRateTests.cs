using System.Diagnostics;
using System.Net;
using Gateway.Domain.Telemetry;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;

namespace Gateway.Functions.Tests.Telemetry;

/// <summary>
/// Sampled traces say at what rate they were kept (<c>microsoft.sample_rate</c>, which Azure
/// Monitor's exporter sends as the item's sampleRate), so Application Insights scales counts back up.
/// </summary>
public sealed class SampleRateTests
{
    [Fact]
    public async Task SampledRequest_ServerAndUpstreamSpansCarryTheRate_ACallersTraceCountsOnce()
    {
        var capture = new TelemetryCapture();
        await using var host = new ProxyTestHost(new Dictionary<string, string?> { ["Telemetry:Traces:SampleRatio"] = "0.5" }, capture.AddTo);
        await host.InitializeAsync();
        var (_, raw) = await host.AddKeyAsync(null, await host.AddSettingAsync());
        using var client = host.CreateClient(raw);

        // Without a traceparent the gateway decides: about half the requests are kept, at 50 %.
        for (var i = 0; i < 40; i++)
        {
            using var response = await client.SendAsync(ProxyTelemetryTests.Chat("gpt-4o", $"rate {i}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Eventually.AssertAsync(() => capture.Spans.Any(s => s.Source.Name == "Gateway.Proxy"), TimeSpan.FromSeconds(5), "some requests are traced");
        var upstream = capture.Spans.Where(s => s.Source.Name == "Gateway.Proxy").ToList();
        Assert.InRange(upstream.Count, 5, 35);
        foreach (var span in upstream)
        {
            Assert.Equal(50d, span.GetTagItem(SampleRateSampler.Attribute));
            var server = Assert.Single(capture.Spans, s => s.SpanId == span.ParentSpanId);
            Assert.Equal(50d, server.GetTagItem(SampleRateSampler.Attribute));
        }

        // A caller's sampled trace is recorded whatever the ratio, and counted once.
        var traceId = ActivityTraceId.CreateRandom();
        using (var traced = await ProxyTelemetryTests.SendInTraceAsync(client, ProxyTelemetryTests.Chat("gpt-4o", "caller's trace"), traceId))
        {
            Assert.Equal(HttpStatusCode.OK, traced.StatusCode);
        }

        await Eventually.AssertAsync(() => capture.Spans.Count(s => s.TraceId == traceId && (s.Source.Name == "Gateway.Proxy" || s.Kind == ActivityKind.Server)) >= 2, TimeSpan.FromSeconds(5), "the caller's trace is recorded");
        Assert.All(capture.Spans.Where(s => s.TraceId == traceId), s => Assert.Equal(100d, s.GetTagItem(SampleRateSampler.Attribute)));
    }
}
