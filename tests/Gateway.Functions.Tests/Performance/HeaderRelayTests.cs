using System.Net;
using Gateway.Functions.Tests.Proxy;
using Microsoft.AspNetCore.Http;

namespace Gateway.Functions.Tests.Performance;

/// <summary>
/// Headers cross the proxy as raw values (copied without parsing, as YARP does): single and
/// repeated values both ways, values the typed parsers would rewrite kept byte for byte, hop-by-hop,
/// cookie and gateway headers still dropped.
/// </summary>
public sealed class HeaderRelayTests : IAsyncLifetime
{
    // RFC 850 form: a typed parse would re-print it as "Sun, 29 Nov 2026 20:00:00 GMT".
    private const string RawDate = "Sunday, 29-Nov-26 20:00:00 GMT";
    private readonly ProxyTestHost _host = new();
    private ScriptedUpstream _upstream = null!;
    private IHeaderDictionary? _seen;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _upstream = await ScriptedUpstream.StartAsync(async context =>
        {
            _seen = new HeaderDictionary(context.Request.Headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase));
            context.Response.ContentType = "application/json";
            context.Response.Headers["x-multi"] = new[] { "one", "two" };
            context.Response.Headers["x-odd"] = "  spaced ;; value  ";
            context.Response.Headers["Last-Modified"] = RawDate;
            context.Response.Headers["Set-Cookie"] = "session=abc";
            await context.Response.WriteAsync("""{"id":"x","object":"chat.completion","choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}""");
        });
    }

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task Headers_CrossAsRawValues_BothWays()
    {
        var setting = await _host.AddSettingAsync(parameters: new() { ["baseUrl"] = _upstream.BaseUrl });
        var (_, raw) = await _host.AddKeyAsync(null, setting);
        using var client = _host.CreateClient(raw);
        using var request = ProxyAccessTests.Chat("gpt-4o", stream: false);
        request.Headers.TryAddWithoutValidation("x-single", "alpha");
        request.Headers.TryAddWithoutValidation("x-repeated", ["b1", "b2"]);
        request.Headers.TryAddWithoutValidation("OpenAI-Organization", "org-1");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["one", "two"], response.Headers.GetValues("x-multi"));
        Assert.Equal("spaced ;; value", Assert.Single(response.Headers.NonValidated["x-odd"]));
        Assert.Equal(RawDate, Assert.Single(response.Content.Headers.NonValidated["Last-Modified"]));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.False(response.Headers.Contains("Set-Cookie"));

        Assert.NotNull(_seen);
        Assert.Equal("alpha", _seen["x-single"].ToString());
        Assert.Equal("b1, b2", string.Join(", ", _seen["x-repeated"].ToArray()));
        Assert.Equal("org-1", _seen["OpenAI-Organization"].ToString());
        Assert.Equal("application/json; charset=utf-8", _seen.ContentType.ToString());
        Assert.Equal($"Bearer {ProxyTestHost.UpstreamOpenAiKey}", _seen.Authorization.ToString());
    }
}
