using System.ClientModel;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Privacy;
using Gateway.Domain.Usage.Transport;
using Gateway.Functions.Tests.Proxy;
using OpenAI;
using OpenAI.Chat;

namespace Gateway.Functions.Tests.Privacy;

/// <summary>
/// PII policies end to end: a key's policy through the proxy to the fake provider, asserting
/// exactly what the provider received, what the client got, and what the usage event carries.
/// </summary>
public sealed class PrivacyProxyTests : IAsyncLifetime
{
    private const string ChatPath = "/api/providers/openai/v1/chat/completions";
    private readonly ProxyTestHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Block_CardInMessage_403RequestBlockedInOpenAiShape_NothingSentUpstream()
    {
        var (key, raw) = await KeyWithPolicyAsync(new() { [PiiEntity.CreditDebitNumber] = PiiActions.Block, [PiiEntity.Email] = PiiActions.Redact });
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Json(ChatPath, Chat("pay with 4111 1111 1111 1111 and mail me at jane@example.com")));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!;
        Assert.Equal("[BricksLLM] request blocked", (string?)error["message"]);
        Assert.Equal("403", (string?)error["code"]);
        Assert.Empty(_host.Upstream.Requests);
        var usage = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId);
        Assert.Equal(("blocked", key.PolicyId, 403), (usage.Action, usage.PolicyId, usage.Status));
        Assert.Equal(new Dictionary<string, int> { [PiiEntity.CreditDebitNumber] = 1, [PiiEntity.Email] = 1 }, usage.PiiEntities);
    }

    [Fact]
    public async Task Block_AnthropicSystem_403InAnthropicShape()
    {
        var (_, raw) = await KeyWithPolicyAsync(new() { [PiiEntity.Ssn] = PiiActions.Block }, provider: "anthropic");
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Json("/api/providers/anthropic/v1/messages",
            """{"model":"claude-3-5-sonnet-20241022","max_tokens":10,"system":"The user's SSN is 123-45-6789.","messages":[{"role":"user","content":"hi"}]}"""));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("error", (string?)body["type"]);
        Assert.Equal("[BricksLLM] request blocked", (string?)body["error"]!["message"]);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task Warn_EmailInMessage_ForwardedByteForByte_EventWarned()
    {
        var (key, raw) = await KeyWithPolicyAsync(new() { [PiiEntity.Email] = PiiActions.Warn });
        using var client = _host.CreateClient(raw);
        var sent = Chat("mail me at jane@example.com");

        using var response = await client.SendAsync(ProxyAccessTests.Json(ChatPath, sent));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(sent, _host.Upstream.LastRequest!.BodyText);
        var usage = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId);
        Assert.Equal(("warned", key.PolicyId), (usage.Action, usage.PolicyId));
        Assert.Equal(new Dictionary<string, int> { [PiiEntity.Email] = 1 }, usage.PiiEntities);
    }

    [Fact]
    public async Task Redact_ChatStringAndTextParts_UpstreamGetsTypedPlaceholders_WarnWinsTheEventAction()
    {
        var (key, raw) = await KeyWithPolicyAsync(new()
        {
            [PiiEntity.Email] = PiiActions.Redact,
            [PiiEntity.Phone] = PiiActions.Redact,
            [PiiEntity.IpAddress] = PiiActions.Warn,
        });
        using var client = _host.CreateClient(raw);
        const string body = """
            {"model":"gpt-4o","messages":[
              {"role":"system","content":"Reach jane@example.com or +44 20 7946 0958."},
              {"role":"user","content":[{"type":"text","text":"again jane@example.com, then bob@example.org from 10.0.0.7"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}
            """;

        using var response = await client.SendAsync(ProxyAccessTests.Json(ChatPath, body));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = _host.Upstream.LastRequest!.ParseJsonBody()!;
        Assert.Equal("Reach [EMAIL_1] or [PHONE_1].", (string?)received["messages"]![0]!["content"]);
        Assert.Equal("again [EMAIL_1], then [EMAIL_2] from 10.0.0.7", (string?)received["messages"]![1]!["content"]![0]!["text"]);
        Assert.Equal("https://example.com/a.png", (string?)received["messages"]![1]!["content"]![1]!["image_url"]!["url"]);
        Assert.DoesNotContain("jane@", _host.Upstream.LastRequest.BodyText, StringComparison.Ordinal);
        var usage = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId);
        Assert.Equal("warned", usage.Action);
        Assert.Equal(new Dictionary<string, int> { [PiiEntity.Email] = 3, [PiiEntity.Phone] = 1, [PiiEntity.IpAddress] = 1 }, usage.PiiEntities);
    }

    [Fact]
    public async Task Redact_EmbeddingsInputAndAnthropicMessages_UpstreamGetsPlaceholders()
    {
        var (_, raw) = await KeyWithPolicyAsync(new() { [PiiEntity.Email] = PiiActions.Redact }, provider: "openai", alsoAnthropic: true);
        using var client = _host.CreateClient(raw);

        using var embeddings = await client.SendAsync(ProxyAccessTests.Json("/api/providers/openai/v1/embeddings",
            """{"model":"text-embedding-3-small","input":["a@b.io says hi","no pii here"]}"""));
        var embeddingsBody = _host.Upstream.LastRequest!.ParseJsonBody()!;
        using var anthropicRequest = ProxyAccessTests.Json("/api/providers/anthropic/v1/messages",
            """{"model":"claude-3-5-sonnet-20241022","max_tokens":10,"system":[{"type":"text","text":"Owner: c@d.io"}],"messages":[{"role":"user","content":[{"type":"text","text":"write to a@b.io"}]}]}""");
        anthropicRequest.Headers.Add("anthropic-version", "2023-06-01");
        using var anthropic = await client.SendAsync(anthropicRequest);
        var anthropicBody = _host.Upstream.LastRequest!.ParseJsonBody()!;

        Assert.True(embeddings.StatusCode == HttpStatusCode.OK, await embeddings.Content.ReadAsStringAsync());
        Assert.Equal(["[EMAIL_1] says hi", "no pii here"], embeddingsBody["input"]!.AsArray().Select(i => (string)i!));
        Assert.True(anthropic.StatusCode == HttpStatusCode.OK, await anthropic.Content.ReadAsStringAsync());
        Assert.Equal("Owner: [EMAIL_1]", (string?)anthropicBody["system"]![0]!["text"]);
        Assert.Equal("write to [EMAIL_2]", (string?)anthropicBody["messages"]![0]!["content"]![0]!["text"]);
    }

    [Fact]
    public async Task Tokenize_UpstreamSeesPlaceholder_ClientGetsValueBack_NonStreamedAndStreamed()
    {
        var (key, raw) = await KeyWithPolicyAsync(new() { [PiiEntity.Email] = PiiActions.Tokenize });
        _host.Upstream.Behavior.ResponseText = "I will write to [EMAIL_1] today.";
        using var client = _host.CreateClient(raw);

        using var whole = await client.SendAsync(ProxyAccessTests.Json(ChatPath, Chat("mail jane@example.com please")));
        var sentUpstream = _host.Upstream.LastRequest!.ParseJsonBody()!;
        var answer = JsonNode.Parse(await whole.Content.ReadAsStringAsync())!;
        using var streamed = await client.SendAsync(ProxyAccessTests.Json(ChatPath, Chat("mail jane@example.com please", stream: true)), HttpCompletionOption.ResponseHeadersRead);
        var chunks = (await ProxyForwardingTests.ReadSseAsync(streamed)).Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!).ToList();

        Assert.Equal("mail [EMAIL_1] please", (string?)sentUpstream["messages"]![0]!["content"]);
        Assert.Equal("I will write to jane@example.com today.", (string?)answer["choices"]![0]!["message"]!["content"]);
        Assert.Equal("I will write to jane@example.com today.", string.Concat(chunks.Select(c => (string?)c["choices"]![0]!["delta"]!["content"])));
        var usage = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId && e.Streamed);
        Assert.Equal("redacted", usage.Action);
    }

    [Fact]
    public async Task ScanResponses_CardSplitAcrossSseChunks_RedactedInRelayedStream()
    {
        var (key, raw) = await KeyWithPolicyAsync(new() { [PiiEntity.CreditDebitNumber] = PiiActions.Redact }, scanResponses: true);
        const string answer = "Your card 4111 1111 1111 1111 is on file.";
        _host.Upstream.Behavior.ResponseText = answer;
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Json(ChatPath, Chat("what card do I have?", stream: true)), HttpCompletionOption.ResponseHeadersRead);
        var relayed = string.Join("\n", await ProxyForwardingTests.ReadSseAsync(response));

        // The fake sends one word per event: the number reaches the proxy in four chunks.
        Assert.True(Gateway.Testing.FakeLlm.FakeLlmTokens.SplitIntoChunks(answer).Count(c => c.Contains("1111", StringComparison.Ordinal)) >= 2);
        var events = relayed.Split('\n').Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!).ToList();
        Assert.Equal("Your card [CREDIT_DEBIT_NUMBER_1] is on file.", string.Concat(events.Select(c => (string?)c["choices"]![0]!["delta"]!["content"])));
        Assert.DoesNotContain("1111", relayed, StringComparison.Ordinal);
        Assert.EndsWith("[DONE]", relayed, StringComparison.Ordinal);
        var usage = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId);
        Assert.Equal(FakeLlmTokensOf(answer), usage.Usage!.CompletionTokens);
        Assert.Equal(new Dictionary<string, int> { [PiiEntity.CreditDebitNumber] = 1 }, usage.PiiEntities);
        Assert.Equal("redacted", usage.Action);
    }

    [Fact]
    public async Task ScanResponses_OpenAiSdkStreamingAndWhole_NoValueReachesTheClient()
    {
        var (_, raw) = await KeyWithPolicyAsync(new() { [PiiEntity.Email] = PiiActions.Block }, scanResponses: true);
        _host.Upstream.Behavior.ResponseText = "Contact support at help@example.com any time.";
        var chat = new ChatClient("gpt-4o", new ApiKeyCredential(raw), new OpenAIClientOptions { Endpoint = new Uri(_host.BaseAddress, "/api/providers/openai/v1") });

        ChatCompletion whole = await chat.CompleteChatAsync([new UserChatMessage("how do I get help?")]);
        var streamed = new StringBuilder();
        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("how do I get help?")]))
        {
            streamed.Append(string.Concat(update.ContentUpdate.Select(p => p.Text)));
        }

        Assert.Equal("Contact support at [EMAIL_1] any time.", whole.Content[0].Text);
        Assert.Equal("Contact support at [EMAIL_1] any time.", streamed.ToString());
    }

    [Fact]
    public async Task Events_CarryTypesAndCounts_NeverValues()
    {
        var (key, raw) = await KeyWithPolicyAsync(new() { [PiiEntity.Email] = PiiActions.Warn, [PiiEntity.CreditDebitNumber] = PiiActions.Redact }, scanResponses: true);
        _host.Upstream.Behavior.ResponseText = "Noted: help@example.com and 5500 0055 5555 5559.";
        using var client = _host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Json(ChatPath, Chat("jane@example.com pays with 4111 1111 1111 1111")));
        var usage = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId);
        var stored = JsonSerializer.Serialize(usage, UsageJsonContext.Queue.UsageEventMessage);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(new Dictionary<string, int> { [PiiEntity.Email] = 2, [PiiEntity.CreditDebitNumber] = 2 }, usage.PiiEntities);
        foreach (var value in (string[])["jane@example.com", "4111", "help@example.com", "5500"])
        {
            Assert.DoesNotContain(value, stored, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task KeyWithoutPolicy_Untouched_NoPolicyInEvent()
    {
        var (key, raw) = await _host.AddKeyAsync(null, await _host.AddSettingAsync());
        using var client = _host.CreateClient(raw);
        var sent = Chat("mail jane@example.com");

        using var response = await client.SendAsync(ProxyAccessTests.Json(ChatPath, sent));

        Assert.Equal(sent, _host.Upstream.LastRequest!.BodyText);
        var usage = await _host.Events.WaitForAsync(e => e.KeyId == key.KeyId);
        Assert.Null(usage.PolicyId);
        Assert.Null(usage.PiiEntities);
    }

    private static int FakeLlmTokensOf(string text) => Gateway.Testing.FakeLlm.FakeLlmTokens.CountWords(text);

    private static string Chat(string content, bool stream = false)
        => $$"""{"model":"gpt-4o","messages":[{"role":"user","content":{{JsonSerializer.Serialize(content)}}}]{{(stream ? ",\"stream\":true" : string.Empty)}}}""";

    private async Task<(ApiKey Key, string Raw)> KeyWithPolicyAsync(Dictionary<string, string> rules, string provider = "openai", bool scanResponses = false, bool alsoAnthropic = false)
    {
        var policy = new Policy { Id = Guid.NewGuid().ToString(), Name = "test", Config = new PolicyConfig { Rules = rules }, ScanResponses = scanResponses };
        await new ConfigCacheWriter(_host.Redis).UpsertAsync(policy);
        await _host.WaitUntilAsync(s => s.PoliciesById.ContainsKey(policy.Id));
        var settings = new List<Gateway.Domain.Providers.ProviderSetting> { await _host.AddSettingAsync(provider) };
        if (alsoAnthropic)
        {
            settings.Add(await _host.AddSettingAsync("anthropic"));
        }

        return await _host.AddKeyAsync(k => k.PolicyId = policy.Id, [.. settings]);
    }
}
