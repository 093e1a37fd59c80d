using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Functions.Tests.Proxy;

namespace Gateway.Functions.Tests.Bedrock;

/// <summary>A Bedrock event stream that stalls is cut by the idle timeout like any stream: one Anthropic error event, never a hang.</summary>
public sealed class BedrockStallTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new(new() { ["Proxy:IdleTimeout"] = "00:00:01" });
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, await _host.AddBedrockSettingAsync());
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Messages_StreamStallsAfterFirstFrame_EndsWithErrorEventAnd504Event()
    {
        _host.Upstream.Behavior.ChunkDelay = TimeSpan.FromSeconds(10);
        using var client = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/providers/bedrock/anthropic/v1/messages")
        {
            Content = new StringContent(
                $$"""{"model":"{{BedrockTestSetup.Model}}","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"hi"}]}""",
                Encoding.UTF8,
                "application/json"),
        };
        request.Headers.Add("x-api-key", _rawKey);

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, events.Length);
        Assert.StartsWith("event: message_start\n", events[0], StringComparison.Ordinal);
        Assert.StartsWith("event: error\n", events[1], StringComparison.Ordinal);
        var error = JsonNode.Parse(events[1].Split('\n')[1]["data: ".Length..])!;
        Assert.Contains("sent nothing", (string?)error["error"]!["message"], StringComparison.Ordinal);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/providers/bedrock/anthropic/v1/messages");
        Assert.Equal(504, usageEvent.Status);
    }
}
