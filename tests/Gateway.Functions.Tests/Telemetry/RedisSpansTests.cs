using System.Diagnostics;
using System.Net;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;

namespace Gateway.Functions.Tests.Telemetry;

/// <summary>
/// Redis command spans are opt-in (<c>Telemetry__Traces__Redis</c>): by default a traced request whose
/// limits call Redis records no Redis span; with the setting on, the same request does.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class RedisSpansTests
{
    // The instrumentation turns profiled commands into spans on its own timer (at most a second apart here); generous for a loaded machine.
    private static readonly TimeSpan RedisSpanWait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task RedisSpans_Default_TracedRequestWithLimitsRecordsNoRedisSpan()
    {
        var capture = new TelemetryCapture();
        await using var host = new ProxyTestHost(new Dictionary<string, string?> { ["Telemetry:Traces:SampleRatio"] = "1" }, capture.AddTo);
        await host.InitializeAsync();
        var traceId = await SendLimitedChatAsync(host);

        await Eventually.AssertAsync(() => capture.Spans.Any(s => s.TraceId == traceId && s.Source.Name == "Gateway.Proxy"), TimeSpan.FromSeconds(5), "the request is traced");

        // Opted in, the instrumentation drains profiled commands at least every second (GatewayTelemetry): wait past that.
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.DoesNotContain(capture.Spans, IsRedis);
    }

    [Fact]
    public async Task RedisSpans_OptedIn_TracedRequestWithLimitsRecordsRedisSpanInItsTrace()
    {
        var capture = new TelemetryCapture();
        await using var host = new ProxyTestHost(new Dictionary<string, string?> { ["Telemetry:Traces:SampleRatio"] = "1", ["Telemetry:Traces:Redis"] = "true" }, capture.AddTo);
        await host.InitializeAsync();
        var traceId = await SendLimitedChatAsync(host);

        await Eventually.AssertAsync(() => capture.Spans.Any(s => s.TraceId == traceId && IsRedis(s)), RedisSpanWait, "a Redis span in the request's trace");
    }

    private static bool IsRedis(Activity span) => span.Source.Name.Contains("StackExchangeRedis", StringComparison.Ordinal);

    private static async Task<ActivityTraceId> SendLimitedChatAsync(ProxyTestHost host)
    {
        // A rate limit makes the limits step run its Redis script on the request.
        var (_, raw) = await host.AddKeyAsync(k => { k.Limits.RateLimitOverTime = 1000; k.Limits.RateLimitUnit = "d"; }, await host.AddSettingAsync());
        var traceId = ActivityTraceId.CreateRandom();
        using var client = host.CreateClient(raw);
        using var response = await ProxyTelemetryTests.SendInTraceAsync(client, ProxyTelemetryTests.Chat("gpt-4o", "count me"), traceId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return traceId;
    }
}
