using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>Streaming, cancellation, rotation and upstream failures on the forward path.</summary>
public sealed class ProxyForwardingTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new(new() { ["Proxy:MaxJsonBodyBytes"] = "4096" });

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Stream_ClientDidNotAskForUsage_UsageChunkHiddenButEventHasExactUsage()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o", stream: true), HttpCompletionOption.ResponseHeadersRead);
        var events = await ReadSseAsync(response);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!).ToList();
        Assert.All(chunks, c => Assert.NotEmpty(c["choices"]!.AsArray()));
        Assert.DoesNotContain(chunks, c => c["usage"] is JsonObject);
        var text = string.Concat(chunks.Select(c => (string?)c["choices"]![0]!["delta"]!["content"]));
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, text);

        // The gateway asked upstream for the usage chunk on the client's behalf.
        Assert.True((bool)_host.Upstream.LastRequest!.ParseJsonBody()!["stream_options"]!["include_usage"]!);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Streamed);
        Assert.Equal(2, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Stream_ClientAskedForUsage_UsageChunkDelivered()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using var client = _host.CreateClient(raw);
        using var request = ProxyAccessTests.Json("/api/providers/openai/v1/chat/completions",
            """{"model":"gpt-4o","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"a b c"}]}""");

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var chunks = (await ReadSseAsync(response)).Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!).ToList();

        var usageChunk = Assert.Single(chunks, c => c["usage"] is JsonObject);
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.Equal(3, (int)usageChunk["usage"]!["prompt_tokens"]!);
    }

    [Fact]
    public async Task Stream_EachUpstreamChunkReachesClientBeforeTheNextIsSent()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        _host.Upstream.Behavior.ChunkDelay = TimeSpan.FromMilliseconds(300);
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o", stream: true), HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null && !line.StartsWith("data: {", StringComparison.Ordinal))
        {
        }

        // The first event arrives long before the whole stream (5+ chunks x 300 ms) is done: no buffering.
        Assert.NotNull(line);
        Assert.True(watch.Elapsed < TimeSpan.FromMilliseconds(900), $"first event took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task Stream_ClientDisconnectsMidStream_UpstreamRequestIsCancelled()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        _host.Upstream.Behavior.ChunkDelay = TimeSpan.FromMilliseconds(300);
        using var client = _host.CreateClient(raw);

        var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o", stream: true), HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[256];
        Assert.True(await stream.ReadAsync(buffer) > 0);
        response.Dispose();

        var cancelled = await _host.Upstream.WaitForCancelledRequestAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("/v1/chat/completions", cancelled.Path);
        var usageEvent = await _host.Events.WaitForAsync(e => e.ClientDisconnected);
        Assert.True(usageEvent.Streamed);
    }

    [Fact]
    public async Task Stream_UpstreamDropsMidStream_ClientConnectionIsCut()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.DropStreamAfter(2));
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o", stream: true), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var stream = await response.Content.ReadAsStreamAsync();
            using var reader = new StreamReader(stream);
            var all = await reader.ReadToEndAsync();
            // A clean end would include [DONE]; a cut connection must not look like one.
            Assert.Contains("[DONE]", all, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task UpstreamError_PassesThroughUnchanged()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        const string upstreamBody = """{"error":{"message":"The server had an error","type":"server_error","param":null,"code":null}}""";
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.Status(500, upstreamBody));
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal(upstreamBody, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Upstream429_PassesThroughWithRetryAfterWhenNoRotation()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.RateLimited(TimeSpan.FromSeconds(7)));
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        Assert.Single(_host.Upstream.Requests);
    }

    [Fact]
    public async Task Rotation_TwoSettings_AlternatesCredentialsAndRetries429OnTheOther()
    {
        var first = await _host.AddSettingAsync(apiKey: "sk-first");
        var second = await _host.AddSettingAsync(apiKey: "sk-second");
        var (_, raw) = await _host.AddKeyAsync(k => k.RotationEnabled = true, first, second);
        using var client = _host.CreateClient(raw);

        for (var i = 0; i < 4; i++)
        {
            using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var used = _host.Upstream.Requests.Select(r => r.Header("Authorization")).ToList();
        Assert.Equal(2, used.Count(a => a == "Bearer sk-first"));
        Assert.Equal(2, used.Count(a => a == "Bearer sk-second"));
        Assert.NotEqual(used[0], used[1]);

        _host.Upstream.ClearRequests();
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.RateLimited(TimeSpan.FromSeconds(1)));
        using (var retried = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o")))
        {
            Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        }

        var attempts = _host.Upstream.Requests.Select(r => r.Header("Authorization")).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.NotEqual(attempts[0], attempts[1]);
    }

    [Fact]
    public async Task UpstreamUnreachable_Gets502InProviderShape()
    {
        var closedPort = ClosedPort();
        var setting = await _host.AddSettingAsync(parameters: new() { ["baseUrl"] = $"http://127.0.0.1:{closedPort}" });
        var (_, raw) = await _host.AddKeyAsync(null, setting);
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o"));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("unreachable", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpstreamSlowerThanRequestTimeout_Gets504WithinTheTimeout()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        _host.Upstream.Behavior.FirstByteDelay = TimeSpan.FromSeconds(5);
        using var client = _host.CreateClient(raw);
        using var request = ProxyAccessTests.Chat("gpt-4o");
        request.Headers.TryAddWithoutValidation("x-request-timeout", "300ms");

        var watch = System.Diagnostics.Stopwatch.StartNew();
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(3), $"took {watch.ElapsedMilliseconds} ms");
    }

    [Fact]
    public async Task JsonBodyOverLimit_Gets413()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using var client = _host.CreateClient(raw);
        var big = new string('x', 5000);
        using var response = await client.SendAsync(ProxyAccessTests.Json("/api/providers/openai/v1/chat/completions", $$"""{"model":"gpt-4o","messages":[{"role":"user","content":"{{big}}"}]}"""));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task CustomIdAndMetadataHeaders_EndUpInTheEventAndNotUpstream()
    {
        var (key, raw) = await _host.AddKeyAsync(k => k.Tags = ["team-a"], await _host.AddSettingAsync());
        using var client = _host.CreateClient(raw);
        using var request = ProxyAccessTests.Chat("gpt-4o", user: "u-42");
        request.Headers.TryAddWithoutValidation("X-CUSTOM-EVENT-ID", "order-1234");
        request.Headers.TryAddWithoutValidation("X-METADATA", """{"feature":"summary"}""");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var usageEvent = await _host.Events.WaitForAsync(e => e.CustomId == "order-1234");
        Assert.Equal("""{"feature":"summary"}""", usageEvent.Metadata);
        Assert.Equal("u-42", usageEvent.UserId);
        Assert.Equal(["team-a"], usageEvent.Tags);
        Assert.Equal(key.KeyId, usageEvent.KeyId);
        Assert.Equal("openai", usageEvent.Provider);
        Assert.Null(_host.Upstream.LastRequest!.Header("X-CUSTOM-EVENT-ID"));
        Assert.Null(_host.Upstream.LastRequest!.Header("X-METADATA"));
    }

    [Fact]
    public async Task LoggingKey_EventCarriesRequestAndResponseBodies_OtherKeyDoesNot()
    {
        var setting = await _host.AddSettingAsync();
        var (logged, loggedRaw) = await _host.AddKeyAsync(k => { k.ShouldLogRequest = true; k.ShouldLogResponse = true; }, setting);
        var (plain, plainRaw) = await _host.AddKeyAsync(null, setting);

        foreach (var raw in new[] { loggedRaw, plainRaw })
        {
            using var client = _host.CreateClient(raw);
            using var response = await client.SendAsync(ProxyAccessTests.Chat("gpt-4o"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var withBodies = await _host.Events.WaitForAsync(e => e.KeyId == logged.KeyId);
        Assert.Contains("hello there", withBodies.RequestBody, StringComparison.Ordinal);
        Assert.Contains(FakeLlmBehavior.DefaultResponseText, withBodies.ResponseBody, StringComparison.Ordinal);
        var without = await _host.Events.WaitForAsync(e => e.KeyId == plain.KeyId);
        Assert.Null(without.RequestBody);
        Assert.Null(without.ResponseBody);
    }

    [Fact]
    public async Task ImageAndSpeechRequests_EventCarriesWhatPerImageAndPerCharacterPricingNeed()
    {
        var (_, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using var client = _host.CreateClient(raw);

        using (var image = await client.SendAsync(ProxyAccessTests.Json("/api/providers/openai/v1/images/generations", """{"model":"dall-e-3","prompt":"a cat","n":2,"size":"1024x1792","quality":"hd"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, image.StatusCode);
        }

        using (var speech = await client.SendAsync(ProxyAccessTests.Json("/api/providers/openai/v1/audio/speech", """{"model":"tts-1","input":"twelve chars","voice":"alloy"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, speech.StatusCode);
        }

        var imageEvent = await _host.Events.WaitForAsync(e => e.Path.EndsWith("images/generations", StringComparison.Ordinal));
        Assert.Equal(2, imageEvent.ImageCount);
        Assert.Equal("1024x1792", imageEvent.ImageSize);
        Assert.Equal("hd", imageEvent.ImageQuality);
        var speechEvent = await _host.Events.WaitForAsync(e => e.Path.EndsWith("audio/speech", StringComparison.Ordinal));
        Assert.Equal(12, speechEvent.SpeechCharacters);
    }

    internal static async Task<List<string>> ReadSseAsync(HttpResponseMessage response)
    {
        var events = new List<string>();
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string? line;
        while ((line = await reader.ReadLineAsync()) is not null)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                events.Add(line[6..]);
            }
        }

        return events;
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
