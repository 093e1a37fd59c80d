using System.Diagnostics;
using System.Net;
using System.Text;
using Gateway.Domain.Telemetry;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Telemetry;

/// <summary>The proxy's spans and metrics, read through OpenTelemetry's in-memory exporters.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class ProxyTelemetryTests : IAsyncLifetime
{
    private const string ChatPath = "/api/providers/openai/v1/chat/completions";
    private readonly TelemetryCapture _capture = new();
    private readonly ProxyTestHost _host;

    public ProxyTelemetryTests()
    {
        _host = new ProxyTestHost(
            new Dictionary<string, string?>
            {
                ["Telemetry:KeyAttributes"] = "true",
                ["Telemetry:Traces:HttpClient"] = "true",
                ["Logging:LogLevel:Default"] = "Debug",
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
    public async Task Chat_WithTraceparent_ContinuesTraceWithServerAndGenAiUpstreamSpans()
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        var traceId = ActivityTraceId.CreateRandom();
        const string prompt = "count these five words";
        using var client = _host.CreateClient(raw);
        using var request = Chat("gpt-4o-mini", prompt);
        using var response = await SendInTraceAsync(client, request, traceId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(traceId.ToHexString(), Assert.Single(response.Headers.GetValues(GatewayTelemetry.TraceIdHeader)));
        await Eventually.AssertAsync(() => SpansOf(traceId).Any(s => s.Kind == ActivityKind.Server && s.DisplayName.Contains("/api/providers", StringComparison.Ordinal)), TimeSpan.FromSeconds(5), "the server span is exported");
        var spans = SpansOf(traceId);
        // (The fake provider runs in this process too: its server span is in the trace, one level down.)
        var server = Assert.Single(spans, s => s.Kind == ActivityKind.Server && s.DisplayName == "POST /api/providers/openai/{**path}");
        var upstream = Assert.Single(spans, s => s.Source.Name == "Gateway.Proxy");
        Assert.Equal(ActivityKind.Client, upstream.Kind);
        Assert.Equal(server.SpanId, upstream.ParentSpanId);
        Assert.Equal("chat gpt-4o-mini", upstream.DisplayName);
        Assert.Equal("chat", upstream.GetTagItem("gen_ai.operation.name"));
        Assert.Equal("openai", upstream.GetTagItem("gen_ai.provider.name"));
        Assert.Equal("gpt-4o-mini", upstream.GetTagItem("gen_ai.request.model"));
        Assert.Equal("gpt-4o-mini", upstream.GetTagItem("gen_ai.response.model"));
        Assert.Equal(FakeLlmTokens.CountWords(prompt), upstream.GetTagItem("gen_ai.usage.input_tokens"));
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), upstream.GetTagItem("gen_ai.usage.output_tokens"));
        Assert.Equal(key.KeyId, upstream.GetTagItem("gateway.key.id"));

        // With HTTP client spans opted in, the HTTP client's span is the upstream span's child, and the provider saw that context.
        var http = Assert.Single(spans, s => s.Source.Name == "System.Net.Http" && s.ParentSpanId == upstream.SpanId);
        Assert.Equal(upstream.SpanId, http.ParentSpanId);
        Assert.Equal($"00-{traceId.ToHexString()}-{http.SpanId.ToHexString()}-01", _host.Upstream.LastRequest!.Header("traceparent"));

        var input = _capture.Points("gen_ai.client.token.usage").Where(p => Tag(p, "gen_ai.token.type") is "input" && Tag(p, "gen_ai.request.model") is "gpt-4o-mini").ToList();
        Assert.Equal(FakeLlmTokens.CountWords(prompt), input.Sum(p => p.GetHistogramSum()));
        var duration = _capture.Points("gen_ai.client.operation.duration").Where(p => Tag(p, "gen_ai.request.model") is "gpt-4o-mini").ToList();
        Assert.Equal(1, duration.Sum(p => p.GetHistogramCount()));
        Assert.Equal("openai", Tag(duration[0], "gen_ai.provider.name"));
    }

    [Fact]
    public async Task Requests_200Then401Then429_EachCountedOnceWithItsOutcome()
    {
        var (key, raw) = await _host.AddKeyAsync(k => { k.Limits.RateLimitOverTime = 1; k.Limits.RateLimitUnit = "d"; }, await _host.AddSettingAsync());
        var refusedBefore = _capture.Count("gateway.proxy.requests", ("gateway.outcome", "refused_auth"));
        var latencyBefore = _capture.HistogramCount("gateway.proxy.added_latency");
        using var client = _host.CreateClient(raw);
        using var stranger = _host.CreateClient("sk-not-a-gateway-key");

        using (var ok = await client.SendAsync(Chat("gpt-4o", "first")))
        {
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using (var unauthorized = await stranger.SendAsync(Chat("gpt-4o", "second")))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        }

        using (var limited = await client.SendAsync(Chat("gpt-4o", "third")))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        }

        // The telemetry step runs after the response is written: wait for the third count.
        await Eventually.AssertAsync(() => _capture.Count("gateway.proxy.requests", ("gateway.key.id", key.KeyId)) == 2, TimeSpan.FromSeconds(5), "both keyed requests are counted");
        Assert.Equal(1, _capture.Count("gateway.proxy.requests", ("gateway.key.id", key.KeyId), ("gateway.outcome", "ok"), ("http.response.status_code", 200)));
        Assert.Equal(1, _capture.Count("gateway.proxy.requests", ("gateway.key.id", key.KeyId), ("gateway.outcome", "refused_limit"), ("http.response.status_code", 429)));
        Assert.Equal(refusedBefore + 1, _capture.Count("gateway.proxy.requests", ("gateway.outcome", "refused_auth"), ("http.response.status_code", 401)));

        // Only the forwarded request has an upstream call, so only it has an added latency.
        Assert.Equal(latencyBefore + 1, _capture.HistogramCount("gateway.proxy.added_latency"));
    }

    [Fact]
    public async Task StreamedChat_SlowFirstByte_RecordsTimeToFirstByteAndFirstChunk()
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        _host.Upstream.Behavior.FirstByteDelay = TimeSpan.FromMilliseconds(300);
        var model = "gpt-4o-" + Guid.NewGuid().ToString("N")[..8];
        var before = _capture.HistogramCount("gateway.proxy.time_to_first_byte", ("gateway.streamed", true));
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(Chat(model, "stream me", stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("[DONE]", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await Eventually.AssertAsync(() => _capture.Count("gateway.proxy.requests", ("gateway.key.id", key.KeyId)) == 1, TimeSpan.FromSeconds(5), "the request is counted");
        Assert.Equal(before + 1, _capture.HistogramCount("gateway.proxy.time_to_first_byte", ("gateway.streamed", true)));
        var ttfb = _capture.Points("gateway.proxy.time_to_first_byte").Where(p => Tag(p, "gateway.streamed") is true).Sum(p => p.GetHistogramSum());
        Assert.True(ttfb >= 0.3, $"time to first byte {ttfb} s includes the provider's 300 ms delay");
        var chunk = Assert.Single(_capture.Points("gen_ai.client.operation.time_to_first_chunk"), p => Tag(p, "gen_ai.request.model") as string == model);
        Assert.Equal(1, chunk.GetHistogramCount());
        Assert.True(chunk.GetHistogramSum() >= 0.3, $"time to first chunk {chunk.GetHistogramSum()} s");
        var tokens = _capture.Points("gen_ai.client.token.usage").Where(p => Tag(p, "gen_ai.request.model") as string == model && Tag(p, "gen_ai.token.type") is "output");
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), tokens.Sum(p => p.GetHistogramSum()));
    }

    [Fact]
    public async Task Rotation_Upstream429ThenSecondSetting_CountsFailedOver()
    {
        var first = await _host.AddSettingAsync(apiKey: "sk-first");
        var second = await _host.AddSettingAsync(apiKey: "sk-second");
        var (key, raw) = await _host.AddKeyAsync(k => k.RotationEnabled = true, first, second);
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.RateLimited(TimeSpan.FromSeconds(1)));
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(Chat("gpt-4o", "rotate me"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _host.Upstream.Requests.Count);
        await Eventually.AssertAsync(() => _capture.Count("gateway.proxy.requests", ("gateway.key.id", key.KeyId)) == 1, TimeSpan.FromSeconds(5), "the request is counted");
        Assert.Equal(1, _capture.Count("gateway.proxy.requests", ("gateway.key.id", key.KeyId), ("gateway.outcome", "failed_over"), ("http.response.status_code", 200)));
    }

    [Fact]
    public async Task Metrics_FrameworkPoolInstruments_DroppedWhileRequestDurationsRemain()
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(Chat("gpt-4o", "pool me"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.AssertAsync(() => _capture.Count("gateway.proxy.requests", ("gateway.key.id", key.KeyId)) == 1, TimeSpan.FromSeconds(5), "the request is counted");
        var names = _capture.AllPoints().Select(p => p.Metric).ToHashSet(StringComparer.Ordinal);
        Assert.Contains("http.server.request.duration", names);
        Assert.Contains("http.client.request.duration", names);
        Assert.DoesNotContain("http.client.active_requests", names);
        Assert.DoesNotContain("http.client.open_connections", names);
        Assert.DoesNotContain(names, n => n.StartsWith("aspnetcore.memory_pool.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PrivacyMode_Default_NoPromptOrCompletionTextInAnySpanMetricOrLog()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        var secret = "zebra" + Guid.NewGuid().ToString("N");
        _host.Upstream.Behavior.ResponseText = "completion" + secret + " answer";
        using var client = _host.CreateClient(raw);
        var traceId = ActivityTraceId.CreateRandom();

        foreach (var stream in new[] { false, true })
        {
            using var request = Chat("gpt-4o", "prompt" + secret + " please", stream);
            using var response = await SendInTraceAsync(client, request, traceId);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Contains(secret, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        await Eventually.AssertAsync(() => SpansOf(traceId).Count(s => s.Source.Name == "Gateway.Proxy") == 2, TimeSpan.FromSeconds(5), "both upstream spans are exported");
        Assert.Empty(TelemetryText.Leaks(_capture, secret));
        var (spans, logs) = TelemetryText.Scanned(_capture);
        Assert.True(spans >= 4 && logs > 0, $"the scan saw {spans} spans and {logs} log records");
    }

    /// <summary>
    /// Makes <paramref name="traceId"/> the ambient trace: this process's HTTP client (the test and
    /// the proxy share the process) sends its own span's <c>traceparent</c>, in that trace.
    /// </summary>
    internal static async Task<HttpResponseMessage> SendInTraceAsync(HttpClient client, HttpRequestMessage request, ActivityTraceId traceId, ActivityTraceFlags flags = ActivityTraceFlags.Recorded)
    {
        using var caller = new Activity("test caller");
        caller.SetParentId(traceId, ActivitySpanId.CreateRandom(), flags);
        caller.Start();
        return await client.SendAsync(request);
    }

    internal static HttpRequestMessage Chat(string model, string prompt, bool stream = false)
    {
        var streamPart = stream ? ",\"stream\":true" : string.Empty;
        var body = $"{{\"model\":\"{model}\",\"messages\":[{{\"role\":\"user\",\"content\":\"{prompt}\"}}]{streamPart}}}";
        return new HttpRequestMessage(HttpMethod.Post, ChatPath) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }

    private List<Activity> SpansOf(ActivityTraceId traceId) => [.. _capture.Spans.Where(s => s.TraceId == traceId)];

    private static object? Tag(OpenTelemetry.Metrics.MetricPoint point, string key) => TelemetryCapture.Tags(point).GetValueOrDefault(key);
}
