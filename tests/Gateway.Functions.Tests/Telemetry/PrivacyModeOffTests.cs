using System.Diagnostics;
using System.Net;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;

namespace Gateway.Functions.Tests.Telemetry;

/// <summary>With <c>Telemetry__PrivacyMode=false</c> the upstream span captures the content: the scan that finds none with the mode on can find it.</summary>
[Collection(TelemetryCollection.Name)]
public sealed class PrivacyModeOffTests : IAsyncLifetime
{
    private readonly TelemetryCapture _capture = new();
    private readonly ProxyTestHost _host;

    public PrivacyModeOffTests()
    {
        _host = new ProxyTestHost(new Dictionary<string, string?> { ["Telemetry:PrivacyMode"] = "false" }, _capture.AddTo);
    }

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _capture.Attach(_host.App.Services);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task PrivacyModeOff_UpstreamSpanCarriesPromptAndCompletion()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        var secret = "zebra" + Guid.NewGuid().ToString("N");
        _host.Upstream.Behavior.ResponseText = "completion" + secret;
        using var client = _host.CreateClient(raw);
        var traceId = ActivityTraceId.CreateRandom();
        using var request = ProxyTelemetryTests.Chat("gpt-4o", "prompt" + secret);
        using var response = await ProxyTelemetryTests.SendInTraceAsync(client, request, traceId);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Eventually.AssertAsync(() => _capture.Spans.Any(s => s.TraceId == traceId && s.Source.Name == "Gateway.Proxy"), TimeSpan.FromSeconds(5), "the upstream span is exported");
        var leaks = TelemetryText.Leaks(_capture, secret);
        Assert.Contains(leaks, l => l.Contains("attribute gen_ai.input.messages", StringComparison.Ordinal) && l.Contains("prompt" + secret, StringComparison.Ordinal));
        Assert.Contains(leaks, l => l.Contains("attribute gen_ai.output.messages", StringComparison.Ordinal) && l.Contains("completion" + secret, StringComparison.Ordinal));
    }
}
