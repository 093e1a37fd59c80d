using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Testing;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>
/// Malformed input found by fuzzing: always a 400 in the provider's error shape naming the field,
/// never a 500, and the usage event records the 400 (never a status of 0).
/// </summary>
public sealed class ProxyBadInputTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    public static TheoryData<string, string, string, string> MalformedFields => new()
    {
        // path, body (\xNN = that raw byte), header "name: value" or "", the name the error must contain
        { "openai/v1/chat/completions", """{"model":"gpt-4o","n":"x","messages":[]}""", "", "'n'" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","n":1.5,"messages":[]}""", "", "'n'" },
        { "openai/v1/chat/completions", """{"model":"gpt-\xff\xfe","messages":[]}""", "", "'model'" },
        { "openai/v1/chat/completions", """{"model":"\ud800","messages":[]}""", "", "'model'" },
        { "openai/v1/chat/completions", """{"model":42,"messages":[]}""", "", "'model'" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","user":"\xc3\x28","messages":[]}""", "", "'user'" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","user":["a"],"messages":[]}""", "", "'user'" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","stream":"yes","messages":[]}""", "", "'stream'" },
        { "openai/v1/audio/speech", """{"model":"tts-1","input":"\xff","voice":"alloy"}""", "", "'input'" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","messages":[]}""", "x-request-timeout: 2562047h", "x-request-timeout" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","messages":[]}""", "x-request-timeout: 99999999999999999999h", "x-request-timeout" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","messages":[]}""", "x-request-timeout: -5s", "x-request-timeout" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","messages":[]}""", """X-METADATA: {"a":1e999999}""", "X-METADATA" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","messages":[]}""", """X-METADATA: {"a":"\ud800"}""", "X-METADATA" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","messages":[]}""", """X-METADATA: {"\udc00":1}""", "X-METADATA" },
        { "openai/v1/chat/completions", """{"model":"gpt-4o","messages":[]}""", """X-METADATA: {"a":["\u0000"]}""", "X-METADATA" },
        { "anthropic/v1/messages", """{"model":"claude-3-5-haiku","metadata":{"user_id":"\xff"},"max_tokens":5,"messages":[]}""", "", "'metadata.user_id'" },
    };

    [Theory]
    [MemberData(nameof(MalformedFields))]
    public async Task MalformedField_Gets400NamingItInProviderShape_AndEventRecords400(string path, string body, string header, string named)
    {
        var provider = path.StartsWith("anthropic", StringComparison.Ordinal) ? "anthropic" : "openai";
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync(provider));
        using var client = _host.CreateClient(raw);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/providers/" + path) { Content = new ByteArrayContent(Bytes(body)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (header.Length > 0)
        {
            var colon = header.IndexOf(':', StringComparison.Ordinal);
            request.Headers.TryAddWithoutValidation(header[..colon], header[(colon + 2)..]);
        }

        using var response = await client.SendAsync(request);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var error = JsonNode.Parse(text)!;
        if (provider == "anthropic")
        {
            Assert.Equal("error", (string?)error["type"]);
            Assert.Equal("invalid_request_error", (string?)error["error"]!["type"]);
        }
        else
        {
            Assert.Equal("400", (string?)error["error"]!["code"]);
        }

        Assert.Contains(named, (string?)error["error"]!["message"], StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
        var usageEvent = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId);
        Assert.Equal(400, usageEvent.Status);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/octet-stream")]
    public async Task ChunkSizeLineOverflows_Gets400NotA500(string contentType)
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        var head = $"POST /api/providers/openai/v1/{(contentType.EndsWith("json", StringComparison.Ordinal) ? "chat/completions" : "files")} HTTP/1.1\r\n"
            + $"Host: 127.0.0.1\r\nAuthorization: Bearer {raw}\r\nContent-Type: {contentType}\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "FFFFFFFFFFFFFFFFFFFFFFFF\r\n{}\r\n0\r\n\r\n";

        var (status, response) = await SendRawAsync(head);

        Assert.True(400 == status, response);
        Assert.Contains("\"400\"", response, StringComparison.Ordinal);
        var usageEvent = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId);
        Assert.Equal(400, usageEvent.Status);
    }

    private async Task<(int Status, string Response)> SendRawAsync(string request)
    {
        using var socket = new TcpClient();
        await socket.ConnectAsync(_host.BaseAddress.Host, _host.BaseAddress.Port);
        var stream = socket.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var rest = new StringBuilder();
        var buffer = new char[4096];
        using var done = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory(), done.Token)) > 0)
            {
                rest.Append(buffer, 0, read);
                if (rest.ToString().Contains("}}", StringComparison.Ordinal))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The server may keep the connection open or close it: what arrived is enough.
        }

        return (int.Parse(statusLine!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), rest.ToString());
    }

    // \xNN in the literal is that raw byte (invalid UTF-8 on purpose).
    private static byte[] Bytes(string body) => RawBytes.From(body);
}
