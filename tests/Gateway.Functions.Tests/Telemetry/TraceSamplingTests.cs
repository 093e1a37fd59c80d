using System.Diagnostics;
using System.Net;
using Gateway.Domain.Telemetry;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Telemetry;

/// <summary>
/// <c>Telemetry__Traces__SampleRatio=0</c>: no new trace is recorded, yet every request still gets its
/// trace id back and moves the metrics; a caller's sampled <c>traceparent</c> is still recorded (parent-based).
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TraceSamplingTests : IAsyncLifetime
{
    private readonly TelemetryCapture _capture = new();
    private readonly ProxyTestHost _host;

    public TraceSamplingTests()
    {
        _host = new ProxyTestHost(
            new Dictionary<string, string?>
            {
                ["Telemetry:Traces:SampleRatio"] = "0",
                ["Telemetry:KeyAttributes"] = "true",
            },
            _capture.AddTo);
    }

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _capture.Attach(_host.App.Services);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task RatioZero_NoTraceparent_ReturnsTraceIdRecordsNoSpanAndStillCountsMetrics()
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        const string prompt = "four words right here";
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyTelemetryTests.Chat("gpt-4o-mini", prompt));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var traceId = ActivityTraceId.CreateFromString(Assert.Single(response.Headers.GetValues(GatewayTelemetry.TraceIdHeader)));
        Assert.NotEqual(default, traceId);
        await Eventually.AssertAsync(() => _capture.Count("gateway.proxy.requests", ("gateway.key.id", key.KeyId), ("gateway.outcome", "ok")) == 1, TimeSpan.FromSeconds(5), "the unsampled request is counted");
        var input = _capture.Points("gen_ai.client.token.usage").Where(p => Tag(p, "gen_ai.token.type") is "input" && Tag(p, "gen_ai.request.model") is "gpt-4o-mini");
        Assert.Equal(FakeLlmTokens.CountWords(prompt), input.Sum(p => p.GetHistogramSum()));
        Assert.Equal(1, _capture.HistogramCount("gen_ai.client.operation.duration", ("gen_ai.request.model", "gpt-4o-mini")));

        // A sampled request on the same connection afterwards: once its spans are exported, the
        // unsampled one's would have been too.
        await SendSampledAndWaitAsync(client);
        Assert.DoesNotContain(_capture.Spans, s => s.TraceId == traceId);
    }

    [Fact]
    public async Task RatioZero_SampledTraceparent_RecordedWithServerAndGenAiSpans()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        var traceId = ActivityTraceId.CreateRandom();
        using var client = _host.CreateClient(raw);

        using var response = await ProxyTelemetryTests.SendInTraceAsync(client, ProxyTelemetryTests.Chat("gpt-4o", "sampled by the caller"), traceId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(traceId.ToHexString(), Assert.Single(response.Headers.GetValues(GatewayTelemetry.TraceIdHeader)));
        await Eventually.AssertAsync(() => _capture.Spans.Any(s => s.TraceId == traceId && s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("POST /api/providers/openai", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "the server span is recorded");
        var upstream = Assert.Single(_capture.Spans, s => s.TraceId == traceId && s.Source.Name == "Gateway.Proxy");
        Assert.Equal("chat gpt-4o", upstream.DisplayName);
        Assert.Equal(FakeLlmTokens.CountWords("sampled by the caller"), upstream.GetTagItem("gen_ai.usage.input_tokens"));

        // No HTTP client span by default, yet the provider is called in the same trace, marked sampled
        // (its parent id is .NET's own unexported HTTP activity under the upstream span).
        Assert.DoesNotContain(_capture.Spans, s => s.TraceId == traceId && s.Source.Name == "System.Net.Http");
        var traceparent = _host.Upstream.LastRequest!.Header("traceparent");
        Assert.StartsWith($"00-{traceId.ToHexString()}-", traceparent, StringComparison.Ordinal);
        Assert.EndsWith("-01", traceparent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RatioZero_UnsampledTraceparent_ContinuedAndReturnedButNotRecorded()
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        var traceId = ActivityTraceId.CreateRandom();
        using var client = _host.CreateClient(raw);

        using var response = await ProxyTelemetryTests.SendInTraceAsync(client, ProxyTelemetryTests.Chat("gpt-4o", "not sampled"), traceId, ActivityTraceFlags.None);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(traceId.ToHexString(), Assert.Single(response.Headers.GetValues(GatewayTelemetry.TraceIdHeader)));
        await Eventually.AssertAsync(() => _capture.Count("gateway.proxy.requests", ("gateway.key.id", key.KeyId)) == 1, TimeSpan.FromSeconds(5), "the request is counted");

        // The provider is called in the same trace, marked not sampled.
        Assert.StartsWith($"00-{traceId.ToHexString()}-", _host.Upstream.LastRequest!.Header("traceparent"), StringComparison.Ordinal);
        Assert.EndsWith("-00", _host.Upstream.LastRequest!.Header("traceparent"), StringComparison.Ordinal);
        await SendSampledAndWaitAsync(client);
        Assert.DoesNotContain(_capture.Spans, s => s.TraceId == traceId);
    }

    private async Task SendSampledAndWaitAsync(HttpClient client)
    {
        var sampled = ActivityTraceId.CreateRandom();
        using var response = await ProxyTelemetryTests.SendInTraceAsync(client, ProxyTelemetryTests.Chat("gpt-4o", "sampled"), sampled);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.AssertAsync(() => _capture.Spans.Any(s => s.TraceId == sampled && s.Kind == ActivityKind.Server && s.DisplayName.StartsWith("POST /api/providers/openai", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "the sampled request's server span is recorded");
    }

    private static object? Tag(OpenTelemetry.Metrics.MetricPoint point, string key) => TelemetryCapture.Tags(point).GetValueOrDefault(key);
}
