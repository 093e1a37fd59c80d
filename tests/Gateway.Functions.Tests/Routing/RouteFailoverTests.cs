using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Gateway.Domain.Usage;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Routing;

/// <summary>Failover routes at <c>/api/routes/...</c> against two fake providers.</summary>
public sealed class RouteFailoverTests : IAsyncLifetime
{
    private RouteTestRig _rig = null!;

    public async Task InitializeAsync() => _rig = await RouteTestRig.StartAsync();

    public async Task DisposeAsync() => await _rig.DisposeAsync();

    private List<UsageEventMessage> EventsOf(string routeId) => [.. _rig.Host.Events.Sent.Where(e => e.RouteId == routeId)];

    private async Task<List<UsageEventMessage>> WaitForEventsAsync(string routeId, int count)
    {
        await Gateway.Testing.Eventually.AssertAsync(() => EventsOf(routeId).Count >= count, TimeSpan.FromSeconds(5), $"{count} events of the route were published");
        return EventsOf(routeId);
    }

    [Fact]
    public async Task Step1Answers500Twice_Step2Answers_ThreeEventsShareOneCorrelationId()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(key.KeyId, "constant", RouteTestRig.OpenAiStep(retries: 1), RouteTestRig.AzureStep());
        _rig.First.Behavior.FailNext(2, FakeLlmFault.InternalServerError());
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(RouteTestRig.Chat(route));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("x-gateway-route-step").Single());
        Assert.Equal("3", response.Headers.GetValues("x-gateway-attempts").Single());
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["choices"]![0]!["message"]!["content"]);
        Assert.Equal(2, _rig.First.Requests.Count);
        var answered = Assert.Single(_rig.Second.Requests);
        Assert.Equal("/openai/deployments/gpt4o-deployment/chat/completions", answered.Path);
        Assert.Equal("2024-10-21", answered.Query("api-version"));
        Assert.Equal(RouteTestRig.AzureUpstreamKey, answered.Header("api-key"));

        var events = await WaitForEventsAsync(route.Id, 3);
        Assert.Equal(3, events.Count);
        Assert.Single(events.Select(e => e.CorrelationId).Distinct());
        Assert.NotNull(events[0].CorrelationId);
        Assert.Equal([200, 500, 500], events.Select(e => e.Status).Order());
        var success = Assert.Single(events, e => e.Status == 200);
        Assert.Equal("azure", success.Provider);
        Assert.Equal("gpt-4o", success.Model);
        Assert.NotNull(success.Usage);
        Assert.All(events.Where(e => e.Status == 500), e => Assert.Equal(("openai", "gpt-4o-mini"), (e.Provider, e.Model)));
        Assert.Equal(3, events.Select(e => e.EventId).Distinct().Count());
    }

    [Fact]
    public async Task EveryStepDropsTheConnection_502SaysHowManyAttempts_AndNoStepAnswered()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(key.KeyId, "constant", RouteTestRig.OpenAiStep(retries: 1), RouteTestRig.AzureStep());
        _rig.First.Behavior.FailNext(2, FakeLlmFault.ResetConnection());
        _rig.Second.Behavior.FailNext(1, FakeLlmFault.ResetConnection());
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(RouteTestRig.Chat(route));

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("3", response.Headers.GetValues("x-gateway-attempts").Single());
        Assert.False(response.Headers.Contains("x-gateway-route-step"));
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]!["message"]);
        Assert.Equal(2, _rig.First.Requests.Count);
        Assert.Single(_rig.Second.Requests);
    }

    [Fact]
    public async Task Step1Answers400_ReturnedAtOnce_Step2NeverCalled()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(key.KeyId, null, RouteTestRig.OpenAiStep(retries: 2), RouteTestRig.AzureStep());
        _rig.First.Behavior.FailNext(1, FakeLlmFault.Status(400, """{"error":{"message":"bad messages","type":"invalid_request_error"}}"""));
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(RouteTestRig.Chat(route));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("bad messages", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Single(_rig.First.Requests);
        Assert.Empty(_rig.Second.Requests);
        var only = Assert.Single(await WaitForEventsAsync(route.Id, 1));
        Assert.Equal(400, only.Status);
    }

    [Fact]
    public async Task RateLimitedWithRetryAfter1_RetriedOnTheSameStepAfterAtLeastOneSecond()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(key.KeyId, "constant", RouteTestRig.OpenAiStep(retries: 1, timeout: "30s"), RouteTestRig.AzureStep());
        _rig.First.Behavior.FailNext(1, FakeLlmFault.RateLimited(TimeSpan.FromSeconds(1)));
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(RouteTestRig.Chat(route));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.Headers.GetValues("x-gateway-route-step").Single());
        var requests = _rig.First.Requests;
        Assert.Equal(2, requests.Count);
        Assert.True(requests[1].ReceivedAt - requests[0].ReceivedAt >= TimeSpan.FromMilliseconds(990), $"retried after {(requests[1].ReceivedAt - requests[0].ReceivedAt).TotalMilliseconds} ms");
        Assert.Empty(_rig.Second.Requests);
    }

    [Fact]
    public async Task RetryAfterLongerThanTheStepTimeout_MovesToTheNextStepWithoutWaiting()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(key.KeyId, "constant", RouteTestRig.OpenAiStep(retries: 3, timeout: "2s"), RouteTestRig.AzureStep());
        _rig.First.Behavior.FailNext(1, FakeLlmFault.RateLimited(TimeSpan.FromSeconds(60)));
        using var client = _rig.Host.CreateClient(raw);
        var watch = Stopwatch.StartNew();

        using var response = await client.SendAsync(RouteTestRig.Chat(route));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("x-gateway-route-step").Single());
        Assert.Single(_rig.First.Requests);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task StepTimeout_NextStepAnswers()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(key.KeyId, null, RouteTestRig.OpenAiStep(timeout: "300ms"), RouteTestRig.AzureStep());
        _rig.First.Behavior.FirstByteDelay = TimeSpan.FromSeconds(10);
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(RouteTestRig.Chat(route));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("x-gateway-route-step").Single());
        Assert.Single(_rig.Second.Requests);
        var events = await WaitForEventsAsync(route.Id, 2);
        Assert.Equal([200, 504], events.Select(e => e.Status).Order());
    }

    [Fact]
    public async Task Stream_Step1FailsBeforeTheFirstByte_StreamComesFromStep2()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(key.KeyId, null, RouteTestRig.OpenAiStep(), RouteTestRig.AzureStep());
        _rig.First.Behavior.FailNext(1, FakeLlmFault.DropStreamAfter(0));
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(RouteTestRig.Chat(route, stream: true), HttpCompletionOption.ResponseHeadersRead);
        var events = await ProxyForwardingTests.ReadSseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("x-gateway-route-step").Single());
        Assert.Equal("[DONE]", events[^1]);
        var chunks = events.Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!).ToList();
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, string.Concat(chunks.Select(c => (string?)c["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"])));
        Assert.DoesNotContain(chunks, c => c["usage"] is JsonObject);
        Assert.True((bool)_rig.Second.LastRequest!.ParseJsonBody()!["stream_options"]!["include_usage"]!);
        var streamed = await _rig.Host.Events.WaitForAsync(e => e.RouteId == route.Id && e.Status == 200);
        Assert.True(streamed.Streamed);
        Assert.Equal(FakeLlmTokens.CountWords(FakeLlmBehavior.DefaultResponseText), streamed.Usage!.CompletionTokens);
    }

    [Fact]
    public async Task Stream_FailureAfterTheFirstByte_EndsWithAnSseErrorEvent()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(key.KeyId, null, RouteTestRig.OpenAiStep(), RouteTestRig.AzureStep());
        _rig.First.Behavior.FailNext(1, FakeLlmFault.DropStreamAfter(2));
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(RouteTestRig.Chat(route, stream: true), HttpCompletionOption.ResponseHeadersRead);
        var events = await ProxyForwardingTests.ReadSseAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0", response.Headers.GetValues("x-gateway-route-step").Single());
        Assert.Equal("[DONE]", events[^1]);
        var error = JsonNode.Parse(events[^2])!["error"]!;
        Assert.Equal("bricksllm_error", (string?)error["type"]);
        Assert.Empty(_rig.Second.Requests);
        var recorded = await _rig.Host.Events.WaitForAsync(e => e.RouteId == route.Id);
        Assert.Equal(502, recorded.Status);
    }

    [Fact]
    public async Task KeyNotInTheRoutesKeyIds_Gets403AndNoUpstreamCall()
    {
        var (owner, _) = await _rig.AddKeyAsync();
        var (_, stranger) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(owner.KeyId, null, RouteTestRig.OpenAiStep());
        using var client = _rig.Host.CreateClient(stranger);

        using var response = await client.SendAsync(RouteTestRig.Chat(route));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("may not call route", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_rig.First.Requests);
    }

    [Fact]
    public async Task UnknownRoute_Gets404()
    {
        var (_, raw) = await _rig.AddKeyAsync();
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(ProxyAccessTests.Json("/api/routes/no/such/route", """{"messages":[]}"""));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("route /no/such/route is not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestParams_OverwriteTheBodyForTheirStep_AlsoUnderApiRoute()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var step = RouteTestRig.OpenAiStep();
        step.RequestParams = new()
        {
            ["temperature"] = System.Text.Json.JsonDocument.Parse("0.25").RootElement,
            ["max_tokens"] = System.Text.Json.JsonDocument.Parse("7").RootElement,
            ["stop"] = System.Text.Json.JsonDocument.Parse("""["END"]""").RootElement,
        };
        var route = await _rig.AddRouteAsync(key.KeyId, null, step);
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(RouteTestRig.Chat(route, prefix: "/api/route"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = _rig.First.LastRequest!.ParseJsonBody()!;
        Assert.Equal("gpt-4o-mini", (string?)sent["model"]);
        Assert.Equal(0.25, (double)sent["temperature"]!);
        Assert.Equal(7, (int)sent["max_tokens"]!);
        Assert.Equal("END", (string?)sent["stop"]![0]);
        Assert.Equal("a b c", (string?)sent["messages"]![0]!["content"]);
        Assert.Equal("Bearer " + ProxyTestHost.UpstreamOpenAiKey, _rig.First.LastRequest.Header("Authorization"));
    }

    [Fact]
    public async Task RouteWithCacheConfig_SecondIdenticalRequestIsAHit_TheProviderSeesOne()
    {
        var (key, raw) = await _rig.AddKeyAsync();
        var route = await _rig.AddRouteAsync(key.KeyId, null, RouteTestRig.OpenAiStep());
        route.CacheConfig = new Gateway.Domain.Routing.RouteCacheConfig { Enabled = true, Ttl = "1h" };
        await new Gateway.Domain.Config.ConfigCacheWriter(_rig.Host.Redis).UpsertAsync(route);
        await _rig.Host.WaitUntilAsync(s => s.RoutesByPath.TryGetValue(route.Path, out var stored) && stored.CacheConfig is { Enabled: true });
        using var client = _rig.Host.CreateClient(raw);

        // The body has no temperature or seed: only the route's cacheConfig makes it cacheable.
        using var first = await client.SendAsync(RouteTestRig.Chat(route));
        await Gateway.Functions.Tests.Caching.CacheTestClient.UntilStoredAsync(_rig.Host, 1);
        using var second = await client.SendAsync(RouteTestRig.Chat(route));

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal("MISS", first.Headers.GetValues("x-bt-cached").Single());
        Assert.Equal("HIT", second.Headers.GetValues("x-bt-cached").Single());
        Assert.Single(_rig.First.Requests);
    }

    [Fact]
    public async Task AnthropicStep_TakesTheTranslatedBody_AnswersInOpenAiShapeAfterStep1Failed()
    {
        var openAi = await _rig.Host.AddSettingAsync();
        var anthropic = await _rig.Host.AddSettingAsync("anthropic", "sk-upstream-anthropic");
        var (key, raw) = await _rig.Host.AddKeyAsync(null, openAi, anthropic);
        var claude = new Gateway.Domain.Routing.RouteStep { Provider = "anthropic", Model = "claude-3-5-haiku-20241022" };
        var route = await _rig.AddRouteAsync(key.KeyId, null, RouteTestRig.OpenAiStep(), claude);
        _rig.First.Behavior.FailNext(1, FakeLlmFault.InternalServerError());
        using var client = _rig.Host.CreateClient(raw);

        using var response = await client.SendAsync(RouteTestRig.Chat(route));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("1", response.Headers.GetValues("x-gateway-route-step").Single());
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("chat.completion", (string?)answer["object"]);
        Assert.Equal(FakeLlmBehavior.DefaultResponseText, (string?)answer["choices"]![0]!["message"]!["content"]);
        var sent = _rig.First.Requests[^1];
        Assert.EndsWith("/v1/messages", sent.Path, StringComparison.Ordinal);
        var body = sent.ParseJsonBody()!;
        Assert.Equal("claude-3-5-haiku-20241022", (string?)body["model"]);
        Assert.Equal("a b c", (string?)body["messages"]![0]!["content"]);
        Assert.NotNull(body["max_tokens"]);
        Assert.Equal("sk-upstream-anthropic", sent.Header("x-api-key"));
    }
}
