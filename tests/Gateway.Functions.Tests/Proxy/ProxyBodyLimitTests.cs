using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>
/// Request bodies up to the configured limits pass whole (Kestrel's own 30,000,000-byte default
/// is lifted per request); above them the answer is 413 in the provider's error shape.
/// </summary>
public sealed class ProxyBodyLimitTests : IAsyncLifetime
{
    private const int MiB = 1 << 20;
    private readonly ProxyTestHost _host = new(new() { ["Proxy:MaxUploadBytes"] = (110 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture) });
    private ScriptedUpstream _upstream = null!;
    private int _upstreamCalls;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            Interlocked.Increment(ref _upstreamCalls);
            var (length, sha) = await ScriptedUpstream.DigestBodyAsync(context.Request, context.RequestAborted);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$$"""{"object":"digest","length":{{{length}}},"sha256":"{{{sha}}}","usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""", context.RequestAborted);
        });
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task ChatBody31MB_WithinDefaultLimit_ForwardedWhole()
    {
        var raw = await KeyAsync(_host);
        var body = ChatBody(31 * MiB);
        using var client = _host.CreateClient(raw);

        using var response = await client.PostAsync("/api/providers/openai/v1/chat/completions", Content(body, "application/json"));

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Length, (long)answer["length"]!);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(body)), (string?)answer["sha256"]);
    }

    [Fact]
    public async Task ChatBody31MB_LimitBelowIt_Gets413InProviderShapeWithoutUpstreamCall()
    {
        await using var small = new ProxyTestHost(new() { ["Proxy:MaxJsonBodyBytes"] = (30 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await small.InitializeAsync();
        var raw = await KeyAsync(small);
        using var client = small.CreateClient(raw);

        using var response = await client.PostAsync("/api/providers/openai/v1/chat/completions", Content(ChatBody(31 * MiB), "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("413", (string?)error["code"]);
        Assert.Contains("exceeds", (string?)error["message"], StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref _upstreamCalls));
    }

    [Fact]
    public async Task ChunkedJsonBodyOverLimit_NoContentLength_Gets413()
    {
        await using var small = new ProxyTestHost(new() { ["Proxy:MaxJsonBodyBytes"] = MiB.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await small.InitializeAsync();
        var raw = await KeyAsync(small);
        using var client = small.CreateClient(raw);
        using var content = new StreamContent(new MemoryStream(ChatBody(2 * MiB)));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/providers/openai/v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal(0, Volatile.Read(ref _upstreamCalls));
    }

    [Fact]
    public async Task Upload100MB_ForwardedWhole()
    {
        var raw = await KeyAsync(_host);
        var file = new byte[100 * MiB];
        new Random(7).NextBytes(file);
        using var client = _host.CreateClient(raw);
        client.Timeout = TimeSpan.FromMinutes(5);

        using var response = await client.PostAsync("/api/providers/openai/v1/files", Content(file, "application/octet-stream"));

        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(file.Length, (long)answer["length"]!);
        Assert.Equal(Convert.ToHexString(SHA256.HashData(file)), (string?)answer["sha256"]);
    }

    [Fact]
    public async Task ChunkedUploadOverLimit_Gets413InProviderShape()
    {
        await using var small = new ProxyTestHost(new() { ["Proxy:MaxUploadBytes"] = MiB.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        await small.InitializeAsync();
        var raw = await KeyAsync(small);
        using var client = small.CreateClient(raw);
        using var content = new StreamContent(new MemoryStream(new byte[3 * MiB]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/providers/openai/v1/files") { Content = content };
        request.Headers.TransferEncodingChunked = true;

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("413", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["code"]);
    }

    private async Task<string> KeyAsync(ProxyTestHost host)
    {
        var setting = await host.AddSettingAsync(parameters: new() { ["baseUrl"] = _upstream.BaseUrl });
        return (await host.AddKeyAsync(null, setting)).Raw;
    }

    private static ByteArrayContent Content(byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }

    private static byte[] ChatBody(int size)
    {
        var head = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\""u8.ToArray();
        var tail = "\"}]}"u8.ToArray();
        var body = new byte[size];
        head.CopyTo(body, 0);
        body.AsSpan(head.Length, size - head.Length - tail.Length).Fill((byte)'a');
        tail.CopyTo(body, size - tail.Length);
        return body;
    }
}
