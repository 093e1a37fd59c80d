using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Usage.Costing;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Bedrock;

/// <summary>
/// BricksLLM's native Bedrock paths over plain HTTP: the body made Bedrock's, the request signed
/// (the fake verifies SigV4 with the setting's secret), the event stream decoded to Anthropic's SSE,
/// Bedrock's errors in Anthropic's shape, and the usage event with the fake's numbers and a price.
/// </summary>
public sealed class BedrockNativeTests : IAsyncLifetime
{
    private const string MessagesPath = "/api/providers/bedrock/anthropic/v1/messages";

    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        var bedrock = await _host.AddBedrockSettingAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, bedrock);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [InlineData("GET")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task OtherMethodThanPost_Is405InAnthropicsShape_NotTheOpenAiCompatibleRoute(string method)
    {
        using var client = new HttpClient { BaseAddress = _host.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), MessagesPath);
        request.Headers.Add("x-api-key", _rawKey);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal(["POST"], response.Content.Headers.Allow);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", (string?)error["type"]);
        Assert.Contains($"{method} is not allowed", (string?)error["error"]!["message"], StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task Messages_Native_BodyMadeBedrocksSignedAndAnswerHasFakesUsage()
    {
        using var response = await PostAsync(MessagesBody(stream: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)answer["content"]![0]!["text"]);

        var received = _host.Upstream.LastRequest!;
        Assert.Equal(BedrockTestSetup.InvokePath(BedrockTestSetup.Model, stream: false), received.Path);
        var body = received.ParseJsonBody()!;
        Assert.Equal("bedrock-2023-05-31", (string?)body["anthropic_version"]);
        Assert.Null(body["model"]);
        Assert.Null(body["stream"]);
        Assert.Equal(["interleaved-thinking-2025-05-14"], body["anthropic_beta"]!.AsArray().Select(b => (string)b!));
        Assert.StartsWith($"AWS4-HMAC-SHA256 Credential={FakeBedrockBehavior.ExampleAccessKeyId}/", received.Header("Authorization"), StringComparison.Ordinal);
        Assert.Null(received.Header("anthropic-version"));
        Assert.Null(received.Header("x-api-key"));

        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == MessagesPath);
        Assert.Equal("bedrock", usageEvent.Provider);
        Assert.Equal(BedrockTestSetup.Model, usageEvent.Model);
        Assert.Equal(200, usageEvent.Status);
        Assert.Equal((int)answer["usage"]!["input_tokens"]!, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), usageEvent.Usage.CompletionTokens);

        // Claude on Bedrock costs Anthropic's price for the model.
        var cost = new UsageCostCalculator(PriceTable.Default).Calculate(usageEvent, costMap: null);
        Assert.False(cost.UnknownModel);
        var price = PriceTable.Default.Find("anthropic", "claude-3-5-haiku-20241022")!;
        Assert.Equal(price, PriceTable.Default.Find("bedrock", BedrockTestSetup.Model));
        Assert.Equal(price, PriceTable.Default.Find("bedrock", BedrockTestSetup.ProfileModel));
        Assert.True(cost.Total > 0m);
    }

    [Fact]
    public async Task Messages_Streamed_EventStreamDecodedToAnthropicSseWithUsage()
    {
        _host.Upstream.Behavior.ResponseText = "Streamed \"through\" Bedrock: ünïcode\nand lines";

        using var response = await PostAsync(MessagesBody(stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = Sse(await response.Content.ReadAsStringAsync());
        Assert.Equal("message_start", events[0].Name);
        Assert.Equal("message_stop", events[^1].Name);
        Assert.DoesNotContain(events, e => e.Name is "error" or "ping");
        var text = string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => (string?)e.Data["delta"]!["text"]));
        Assert.Equal(_host.Upstream.Behavior.ResponseText, text);
        Assert.Equal(BedrockTestSetup.InvokePath(BedrockTestSetup.Model, stream: true), _host.Upstream.LastRequest!.Path);
        Assert.Equal("application/vnd.amazon.eventstream", _host.Upstream.LastRequest.Header("Accept"));

        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == MessagesPath);
        Assert.True(usageEvent.Streamed);
        Assert.Equal((int)events[0].Data["message"]!["usage"]!["input_tokens"]!, usageEvent.Usage!.PromptTokens);
        Assert.Equal(FakeLlmTokens.CountWords(_host.Upstream.Behavior.ResponseText), usageEvent.Usage.CompletionTokens);
    }

    [Fact]
    public async Task Messages_StreamExceptionEvent_EndsWithAnthropicErrorEvent()
    {
        _host.Upstream.Bedrock.StreamException = "throttlingException";

        using var response = await PostAsync(MessagesBody(stream: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var events = Sse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["message_start", "content_block_start", "error"], events.Select(e => e.Name));
        Assert.Equal("rate_limit_error", (string?)events[^1].Data["error"]!["type"]);
    }

    [Fact]
    public async Task Messages_CorruptFrame_EndsWithErrorEventNotAHang()
    {
        _host.Upstream.Bedrock.CorruptFrameIndex = 1;

        using var response = await PostAsync(MessagesBody(stream: true));

        var events = Sse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["message_start", "error"], events.Select(e => e.Name));
        Assert.Contains("Checksum", (string?)events[^1].Data["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_BedrockThrottles_AnthropicErrorWithItsStatus()
    {
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.RateLimited(TimeSpan.FromSeconds(1)));

        using var response = await PostAsync(MessagesBody(stream: false));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", (string?)error["type"]);
        Assert.Equal("rate_limit_error", (string?)error["error"]!["type"]);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == MessagesPath);
        Assert.Equal(429, usageEvent.Status);
    }

    [Fact]
    public async Task Messages_WrongSecret_FakeRefusesSignatureAsBedrockDoes()
    {
        var wrong = await _host.AddBedrockSettingAsync("not-the-secret");
        var (_, raw) = await _host.AddKeyAsync(null, wrong);

        using var response = await PostAsync(MessagesBody(stream: false), raw);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("authentication_error", (string?)error["error"]!["type"]);
        Assert.Contains("signature we calculated does not match", (string?)error["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FakeBedrock_UnsignedRequest_Refused403InBedrocksShape()
    {
        using var client = new HttpClient();

        using var response = await client.PostAsync(
            new Uri(_host.Upstream.BaseUrl, BedrockTestSetup.InvokePath(BedrockTestSetup.Model, stream: false)),
            new StringContent("""{"anthropic_version":"bedrock-2023-05-31","max_tokens":5,"messages":[]}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.StartsWith("MissingAuthenticationTokenException", response.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
        Assert.Equal("Missing Authentication Token", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]);
    }

    [Fact]
    public async Task Messages_NoModel_400InAnthropicShapeAndNothingSent()
    {
        using var response = await PostAsync("""{"max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("invalid_request_error", (string?)error["error"]!["type"]);
        Assert.Contains("model", (string?)error["error"]!["message"], StringComparison.Ordinal);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task Messages_ModelNotInAllowedModels_403()
    {
        var narrow = await _host.AddBedrockSettingAsync(allowedModels: ["anthropic.claude-3-haiku-20240307-v1:0"]);
        var (_, raw) = await _host.AddKeyAsync(null, narrow);

        using var response = await PostAsync(MessagesBody(stream: false), raw);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(_host.Upstream.Requests);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string? rawKey = null)
    {
        using var client = new HttpClient { BaseAddress = _host.BaseAddress };
        using var request = new HttpRequestMessage(HttpMethod.Post, MessagesPath)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", rawKey ?? _rawKey);
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("anthropic-beta", "interleaved-thinking-2025-05-14");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    private static string MessagesBody(bool stream)
        => new JsonObject
        {
            ["model"] = BedrockTestSetup.Model,
            ["max_tokens"] = 64,
            ["stream"] = stream,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "one two three" }),
        }.ToJsonString();

    private static List<(string Name, JsonNode Data)> Sse(string body)
    {
        var events = new List<(string, JsonNode)>();
        foreach (var block in body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            JsonNode? data = null;
            foreach (var line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line[7..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = JsonNode.Parse(line[6..]);
                }
            }

            events.Add((name!, data!));
        }

        return events;
    }
}
