using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>
/// <c>Proxy__Timeout</c> bounds the time to response headers only; between body bytes the idle
/// timeout applies, so a stream that keeps sending is never cut and a stalled one is, with an
/// SSE error event.
/// </summary>
public sealed class ProxyTimeoutTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new(new() { ["Proxy:Timeout"] = "00:00:02", ["Proxy:IdleTimeout"] = "00:00:03" });
    private readonly TaskCompletionSource _stalledUpstreamCancelled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ScriptedUpstream _upstream = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            context.Response.ContentType = "text/event-stream";
            var stall = context.Request.Query.ContainsKey("stall");
            for (var i = 0; i < (stall ? 1 : 6); i++)
            {
                if (i > 0)
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), context.RequestAborted);
                }

                await context.Response.WriteAsync("data: {\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"w" + i + " \"}}]}" + "\n\n", context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            if (stall)
            {
                try
                {
                    await Task.Delay(TimeSpan.FromMinutes(1), context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    _stalledUpstreamCancelled.TrySetResult();
                    throw;
                }
            }

            await context.Response.WriteAsync("data: [DONE]\n\n", context.RequestAborted);
        });
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Stream_ByteEverySecondForLongerThanProxyTimeout_IsNotCut()
    {
        var (key, raw) = await KeyAsync();
        using var client = _host.CreateClient(raw);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o", stream: true), HttpCompletionOption.ResponseHeadersRead);
        var events = await ProxyForwardingTests.ReadSseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed > TimeSpan.FromSeconds(4), $"the stream took {watch.ElapsedMilliseconds} ms, not longer than the 2 s proxy timeout");
        Assert.Equal(7, events.Count);
        Assert.Equal("[DONE]", events[^1]);
        Assert.DoesNotContain(events, e => e.Contains("error", StringComparison.Ordinal));
        var usageEvent = await _host.Events.WaitForAsync(e => e.KeyId == key);
        Assert.Equal(200, usageEvent.Status);
        Assert.Equal("w0 w1 w2 w3 w4 w5 ", usageEvent.CompletionText);
    }

    [Fact]
    public async Task Stream_StalledLongerThanIdleTimeout_IsCutWithSseErrorEvent()
    {
        var (key, raw) = await KeyAsync();
        using var client = _host.CreateClient(raw);
        using var request = ProxyAccessTests.Chat("gpt-4o", stream: true);
        request.RequestUri = new Uri(request.RequestUri!.OriginalString + "?stall=1", UriKind.Relative);
        var watch = System.Diagnostics.Stopwatch.StartNew();

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var events = await ProxyForwardingTests.ReadSseAsync(response).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(2.5), $"cut after {watch.ElapsedMilliseconds} ms, before the 3 s idle timeout");
        Assert.Equal(3, events.Count);
        var error = JsonNode.Parse(events[1])!["error"]!;
        Assert.Equal("bricksllm_error", (string?)error["type"]);
        Assert.Contains("sent nothing", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal("[DONE]", events[2]);
        await _stalledUpstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var usageEvent = await _host.Events.WaitForAsync(e => e.KeyId == key);
        Assert.Equal(504, usageEvent.Status);
        Assert.True(usageEvent.Streamed);
    }

    private async Task<(string KeyId, string Raw)> KeyAsync()
    {
        var setting = await _host.AddSettingAsync(parameters: new() { ["baseUrl"] = _upstream.BaseUrl });
        var (key, raw) = await _host.AddKeyAsync(null, setting);
        return (key.KeyId, raw);
    }
}
