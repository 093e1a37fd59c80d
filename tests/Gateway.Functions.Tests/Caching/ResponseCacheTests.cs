using System.Net;
using System.Text;
using Gateway.Domain.Caching;
using Gateway.Domain.Usage.Costing;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;
using static Gateway.Functions.Tests.Caching.CacheTestClient;

namespace Gateway.Functions.Tests.Caching;

/// <summary>The response cache through the proxy, with the fake provider and real Redis.</summary>
public sealed class ResponseCacheTests : IAsyncLifetime
{
    private readonly ProxyTestHost _host = new();
    private string _rawKey = null!;
    private int _calls;
    private Domain.Providers.ProviderSetting _setting = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _setting = await _host.AddSettingAsync();
        (_, _rawKey) = await _host.AddKeyAsync(null, _setting);
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    private async Task<Answer> ChatAsync(string body, string? mode = null, string? key = null)
    {
        var answer = await PostAsync(_host.BaseAddress, key ?? _rawKey, ChatPath, body, mode);

        // The usage event is published after the response: wait for it, so that event assertions
        // see every request (a repeat right after the answer is a hit without waiting: see
        // ResponseCacheImmediateRepeatTests).
        var calls = Interlocked.Increment(ref _calls);
        await Gateway.Testing.Eventually.AssertAsync(() => _host.Events.Sent.Count >= calls, TimeSpan.FromSeconds(5), "the request's usage event (after the cache store step)");
        return answer;
    }

    private int UpstreamCalls => _host.Upstream.Requests.Count;

    [Fact]
    public async Task Auto_TemperatureZero_SecondCallIsAHitAndUpstreamSawOneRequest()
    {
        var body = Chat("cache me", temperature: 0);

        var first = await ChatAsync(body);
        var second = await ChatAsync(body);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("MISS", first.Cached);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal("HIT", second.Cached);
        Assert.Equal(first.Body, second.Body);
        Assert.Equal("application/json", second.ContentType);
        Assert.Equal(1, UpstreamCalls);
    }

    [Fact]
    public async Task Auto_TemperatureAboveZeroWithoutSeed_CallsUpstreamTwice()
    {
        var body = Chat("be creative", temperature: 0.7);

        var first = await ChatAsync(body);
        var second = await ChatAsync(body);

        Assert.Equal(("MISS", "MISS"), (first.Cached, second.Cached));
        Assert.Equal(2, UpstreamCalls);
    }

    [Fact]
    public async Task Auto_SeedSet_IsCached()
    {
        var body = Chat("seeded", temperature: 0.7, extra: ",\"seed\":42");

        await ChatAsync(body);
        var second = await ChatAsync(body);

        Assert.Equal("HIT", second.Cached);
        Assert.Equal(1, UpstreamCalls);
    }

    [Fact]
    public async Task AlwaysHeader_CachesEvenWithTemperature()
    {
        var body = Chat("always", temperature: 1);

        await ChatAsync(body, mode: "always");
        var second = await ChatAsync(body, mode: "always");

        Assert.Equal("HIT", second.Cached);
        Assert.Equal(1, UpstreamCalls);
    }

    [Fact]
    public async Task NeverHeader_NeitherReadsNorWrites()
    {
        var body = Chat("never", temperature: 0);

        await ChatAsync(body);
        var never = await ChatAsync(body, mode: "never");
        var never2 = await ChatAsync(Chat("never again", temperature: 0), mode: "never");
        var after = await ChatAsync(Chat("never again", temperature: 0));

        Assert.Equal("MISS", never.Cached);
        Assert.Equal("MISS", never2.Cached);
        Assert.Equal("MISS", after.Cached);
        Assert.Equal(4, UpstreamCalls);
    }

    [Fact]
    public async Task InvalidHeader_Is400InTheProvidersShape()
    {
        var answer = await ChatAsync(Chat("x"), mode: "sometimes");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains("x-bt-use-cache must be auto, always or never", answer.Body, StringComparison.Ordinal);
        Assert.Equal(0, UpstreamCalls);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"same"}],"temperature":0}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"user","content":"same"}],"temperature":0,"max_tokens":7}""")]
    [InlineData("""{"model":"gpt-4o","messages":[{"role":"system","content":"be brief"},{"role":"user","content":"same"}],"temperature":0}""")]
    public async Task DifferentModelOrParameter_IsAMiss(string changed)
    {
        await ChatAsync("""{"model":"gpt-4o","messages":[{"role":"user","content":"same"}],"temperature":0}""");

        var answer = await ChatAsync(changed);

        Assert.Equal("MISS", answer.Cached);
        Assert.Equal(2, UpstreamCalls);
    }

    [Fact]
    public async Task SameRequest_KeysReorderedAndUserChanged_IsAHit()
    {
        await ChatAsync("""{"model":"gpt-4o","messages":[{"role":"user","content":"same"}],"temperature":0,"user":"alice"}""");

        var answer = await ChatAsync("""{"user":"bob","temperature":0,"messages":[{"content":"same","role":"user"}],"model":"gpt-4o"}""");

        Assert.Equal("HIT", answer.Cached);
    }

    [Fact]
    public async Task DifferentGatewayKey_IsAMiss_AndRedisHoldsNoAnswerTextInClear()
    {
        const string Secret = "Zanzibar quokka marmalade";
        _host.Upstream.Behavior.ResponseText = Secret;
        var (_, otherRaw) = await _host.AddKeyAsync(null, _setting);
        var body = Chat("tell me the secret", temperature: 0);

        var first = await ChatAsync(body);
        var other = await ChatAsync(body, key: otherRaw);
        var again = await ChatAsync(body);

        Assert.Contains(Secret, first.Body, StringComparison.Ordinal);
        Assert.Equal("MISS", other.Cached);
        Assert.Equal("HIT", again.Cached);
        Assert.Equal(2, UpstreamCalls);
        var entries = await EntriesAsync(_host.Prefix);
        Assert.Equal(2, entries.Count);
        foreach (var (key, value, ttl) in entries)
        {
            var text = Encoding.UTF8.GetString(value);
            Assert.DoesNotContain("Zanzibar", text, StringComparison.Ordinal);
            Assert.DoesNotContain("tell me the secret", text, StringComparison.Ordinal);
            Assert.DoesNotContain("gpt-4o", text, StringComparison.Ordinal);
            Assert.DoesNotContain("Zanzibar", Convert.ToBase64String(value), StringComparison.Ordinal);
            Assert.DoesNotContain(_rawKey, key.ToString(), StringComparison.Ordinal);

            // Default TTL: one week.
            Assert.InRange(ttl!.Value, TimeSpan.FromDays(7) - TimeSpan.FromMinutes(5), TimeSpan.FromDays(7));
        }
    }

    [Fact]
    public async Task Hit_IsRecordedCachedWithItsTokens_AndCostsNothing()
    {
        var body = Chat("count my tokens please", temperature: 0);

        await ChatAsync(body);
        await ChatAsync(body);

        var miss = await _host.Events.WaitForAsync(e => !e.Cached);
        var hit = await _host.Events.WaitForAsync(e => e.Cached);
        Assert.Equal(200, hit.Status);
        Assert.Equal(miss.Usage!.PromptTokens, hit.Usage!.PromptTokens);
        Assert.Equal(miss.Usage.CompletionTokens, hit.Usage.CompletionTokens);
        Assert.Equal("gpt-4o", hit.Model);
        var prices = new UsageCostCalculator(PriceTable.Default);
        Assert.True(prices.Calculate(miss, null).Total > 0m);
        Assert.Equal(0m, prices.Calculate(hit, null).Total);
    }

    [Fact]
    public async Task Embeddings_AreCachedInAutoMode()
    {
        const string Body = """{"model":"text-embedding-3-small","input":"embed me"}""";

        var first = await PostAsync(_host.BaseAddress, _rawKey, "/api/providers/openai/v1/embeddings", Body);
        var second = await PostAsync(_host.BaseAddress, _rawKey, "/api/providers/openai/v1/embeddings", Body);

        Assert.Equal(("MISS", "HIT"), (first.Cached, second.Cached));
        Assert.Equal(first.Body, second.Body);
        Assert.Equal(1, UpstreamCalls);
    }

    [Fact]
    public async Task Streaming_ReplayEqualsTheOriginalChunkTexts_AndSharesTheEntryWithNonStreaming()
    {
        _host.Upstream.Behavior.ResponseText = "one two three four five";
        var streamed = Chat("stream it", temperature: 0, stream: true);

        var first = await ChatAsync(streamed);
        await UntilStoredAsync(_host, 1);
        var replay = await ChatAsync(streamed);
        var whole = await ChatAsync(Chat("stream it", temperature: 0));

        Assert.Equal("MISS", first.Cached);
        Assert.Equal("HIT", replay.Cached);
        Assert.Equal("text/event-stream", replay.ContentType);
        Assert.Equal(DeltaTexts(first.Body), DeltaTexts(replay.Body));
        Assert.True(DeltaTexts(first.Body).Count >= 5);
        Assert.EndsWith("data: [DONE]\n\n", replay.Body, StringComparison.Ordinal);

        // The client did not ask for usage: the replay has no usage chunk, as the original had none.
        Assert.DoesNotContain("\"usage\":{", first.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"usage\"", replay.Body, StringComparison.Ordinal);

        Assert.Equal("HIT", whole.Cached);
        Assert.Contains("\"content\":\"one two three four five\"", whole.Body, StringComparison.Ordinal);
        Assert.Equal(1, UpstreamCalls);
    }

    [Fact]
    public async Task Streaming_UsageChunkReplayedOnlyWhenAsked()
    {
        var withUsage = Chat("usage please", temperature: 0, stream: true, extra: ",\"stream_options\":{\"include_usage\":true}");

        await ChatAsync(Chat("usage please", temperature: 0));
        var replay = await ChatAsync(withUsage);

        Assert.Equal("HIT", replay.Cached);
        Assert.Contains("\"usage\":{\"prompt_tokens\":2,", replay.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamCutInTheMiddle_IsNotCached()
    {
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.DropStreamAfter(2));
        var streamed = Chat("cut me", temperature: 0, stream: true);

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => ChatAsync(streamed));
        await _host.Upstream.WaitForRequestAsync(static r => r.Outcome == FakeLlmRequestOutcome.DroppedByFault, TimeSpan.FromSeconds(5));
        var afterCut = await EntriesAsync(_host.Prefix);
        var second = await ChatAsync(streamed);

        Assert.Empty(afterCut);
        Assert.Equal("MISS", second.Cached);
        Assert.Equal(2, UpstreamCalls);
    }

    [Fact]
    public async Task UpstreamError_IsNotCached()
    {
        _host.Upstream.Behavior.FailNext(1, FakeLlmFault.InternalServerError());
        var body = Chat("fail once", temperature: 0);

        var first = await ChatAsync(body);
        var second = await ChatAsync(body);

        Assert.Equal(HttpStatusCode.InternalServerError, first.Status);
        Assert.Equal((HttpStatusCode.OK, "MISS"), (second.Status, second.Cached));
    }

    [Fact]
    public async Task AnthropicMessages_StreamedMissReplaysItsDeltas_AndAnswersNonStreamed()
    {
        var anthropic = await _host.AddSettingAsync("anthropic", "sk-ant-upstream");
        var (_, raw) = await _host.AddKeyAsync(null, anthropic);
        _host.Upstream.Behavior.ResponseText = "Bonjour tout le monde";
        const string Streamed = """{"model":"claude-3-5-haiku-latest","max_tokens":64,"temperature":0,"stream":true,"messages":[{"role":"user","content":"salut"}]}""";
        const string Whole = """{"model":"claude-3-5-haiku-latest","max_tokens":64,"temperature":0,"messages":[{"role":"user","content":"salut"}]}""";

        var first = await PostAsync(_host.BaseAddress, raw, MessagesPath, Streamed, anthropic: true);
        await UntilStoredAsync(_host, 1);
        var replay = await PostAsync(_host.BaseAddress, raw, MessagesPath, Streamed, anthropic: true);
        var whole = await PostAsync(_host.BaseAddress, raw, MessagesPath, Whole, anthropic: true);

        Assert.Equal(("MISS", "HIT", "HIT"), (first.Cached, replay.Cached, whole.Cached));
        Assert.Equal(DeltaTexts(first.Body), DeltaTexts(replay.Body));
        Assert.Contains("event: message_stop", replay.Body, StringComparison.Ordinal);
        Assert.Contains("\"text\":\"Bonjour tout le monde\"", whole.Body, StringComparison.Ordinal);
        Assert.Equal(1, UpstreamCalls);
    }

    [Fact]
    public async Task KeyDefaults_ModeAlwaysAndTtl_Apply()
    {
        var (_, raw) = await _host.AddKeyAsync(k => { k.CacheMode = "always"; k.CacheTtl = "2h"; }, _setting);
        var body = Chat("key default", temperature: 0.9);

        await ChatAsync(body, key: raw);
        var second = await ChatAsync(body, key: raw);
        var overridden = await ChatAsync(body, mode: "never", key: raw);

        Assert.Equal("HIT", second.Cached);
        Assert.Equal("MISS", overridden.Cached);
        var (_, _, ttl) = Assert.Single(await EntriesAsync(_host.Prefix));
        Assert.InRange(ttl!.Value, TimeSpan.FromHours(2) - TimeSpan.FromMinutes(5), TimeSpan.FromHours(2));
    }

    [Fact]
    public async Task TagScope_SharesEntriesAcrossTheKeysThatOptedIn()
    {
        var (_, a) = await _host.AddKeyAsync(k => { k.Tags = ["team"]; k.CacheScope = "tag:team"; }, _setting);
        var (_, b) = await _host.AddKeyAsync(k => { k.Tags = ["team"]; k.CacheScope = "tag:team"; }, _setting);
        var (_, notOptedIn) = await _host.AddKeyAsync(k => k.Tags = ["team"], _setting);
        var body = Chat("team question", temperature: 0);

        var first = await ChatAsync(body, key: a);
        var shared = await ChatAsync(body, key: b);
        var own = await ChatAsync(body, key: notOptedIn);

        Assert.Equal(("MISS", "HIT", "MISS"), (first.Cached, shared.Cached, own.Cached));
        Assert.Equal(2, UpstreamCalls);
    }

    [Fact]
    public async Task Hits_CountAgainstTheRateLimit()
    {
        var (_, raw) = await _host.AddKeyAsync(k => { k.Limits.RateLimitOverTime = 2; k.Limits.RateLimitUnit = "m"; }, _setting);
        var body = Chat("limited", temperature: 0);

        var first = await ChatAsync(body, key: raw);
        var second = await ChatAsync(body, key: raw);
        var third = await ChatAsync(body, key: raw);

        Assert.Equal("HIT", second.Cached);
        Assert.Equal(HttpStatusCode.TooManyRequests, third.Status);
        Assert.Equal(HttpStatusCode.OK, first.Status);
    }
}
