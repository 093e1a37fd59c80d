using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Http;

namespace Gateway.Admin.Functions.Tests.Analytics;

/// <summary><c>GET /api/events</c>: BricksLLM's event listing by customId, userId or keyIds plus a range.</summary>
public sealed class EventsEndpointTests(AnalyticsFixture fx) : IClassFixture<AnalyticsFixture>
{
    private const string Path = "/api/events";

    [Fact]
    public async Task Events_ByKeyIds_ReturnsEveryFieldInBricksLlmShape()
    {
        var w = fx.NewWindow();
        var key = AnalyticsFixture.NewId("key");
        var e = AnalyticsFixture.Event(w + 5, key, 0.0123456789m, 812, 31, 17, 200, "gpt-4o", customId: "cust-1", userId: "user-1", tags: ["team-a", "prod"], policyId: "pol-1", action: "redacted");
        e.Provider = "azure";
        e.Path = "/api/providers/azure/openai/deployments/d1/chat/completions";
        e.Request = """{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}""";
        e.Response = """{"id":"chatcmpl-1","usage":{"prompt_tokens":31,"completion_tokens":17}}""";
        e.Metadata = """{"team":"search","attempt":2}""";
        e.RouteId = "route-1";
        e.CorrelationId = "corr-1";
        await fx.SeedAsync(e);

        var events = (await fx.GetForJsonAsync($"{Path}?keyIds={key}&start={w}&end={w + 10}")).AsArray();

        var body = Assert.Single(events)!.AsObject();
        Assert.Equal(
            ["id", "created_at", "tags", "key_id", "cost_in_usd", "provider", "model", "status", "prompt_token_count", "completion_token_count",
             "latency_in_ms", "path", "method", "custom_id", "request", "response", "userId", "action", "policyId", "routeId", "correlationId", "metadata"],
            body.Select(f => f.Key));
        Assert.Equal(e.EventId, (string?)body["id"]);
        Assert.Equal(w + 5, (long)body["created_at"]!);
        Assert.Equal(["team-a", "prod"], body["tags"]!.AsArray().Select(t => (string?)t));
        Assert.Equal(key, (string?)body["key_id"]);
        Assert.Equal(System.Text.Json.JsonValueKind.Number, body["cost_in_usd"]!.GetValueKind());
        Assert.Equal((double)e.CostInUsd, (double)body["cost_in_usd"]!);
        Assert.Equal("azure", (string?)body["provider"]);
        Assert.Equal("gpt-4o", (string?)body["model"]);
        Assert.Equal(200, (int)body["status"]!);
        Assert.Equal(31, (int)body["prompt_token_count"]!);
        Assert.Equal(17, (int)body["completion_token_count"]!);
        Assert.Equal(812, (int)body["latency_in_ms"]!);
        Assert.Equal(e.Path, (string?)body["path"]);
        Assert.Equal("POST", (string?)body["method"]);
        Assert.Equal("cust-1", (string?)body["custom_id"]);
        Assert.Equal("user-1", (string?)body["userId"]);
        Assert.Equal("redacted", (string?)body["action"]);
        Assert.Equal("pol-1", (string?)body["policyId"]);
        Assert.Equal("route-1", (string?)body["routeId"]);
        Assert.Equal("corr-1", (string?)body["correlationId"]);

        // Stored as jsonb, emitted as JSON values (not strings, not base64).
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(e.Request), body["request"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(e.Response), body["response"]));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(e.Metadata), body["metadata"]));
    }

    [Fact]
    public async Task Events_OptionalFieldsAbsent_EmptyStringsAndNullBodies()
    {
        var w = fx.NewWindow();
        var key = AnalyticsFixture.NewId("key");
        await fx.SeedAsync(AnalyticsFixture.Event(w + 1, key));

        var body = Assert.Single((await fx.GetForJsonAsync($"{Path}?keyIds={key}&start={w}&end={w + 10}")).AsArray())!.AsObject();

        foreach (var field in new[] { "custom_id", "userId", "action", "policyId", "routeId", "correlationId" })
        {
            Assert.Equal(string.Empty, (string?)body[field]);
        }

        foreach (var field in new[] { "request", "response", "metadata" })
        {
            Assert.True(body.ContainsKey(field));
            Assert.Null(body[field]);
        }

        Assert.Empty(body["tags"]!.AsArray());
    }

    [Fact]
    public async Task Events_KeyIdsRange_InclusiveAtBothEndsAndOldestFirst()
    {
        var w = fx.NewWindow();
        var key = AnalyticsFixture.NewId("key");
        var other = AnalyticsFixture.NewId("key");
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + 20, key, customId: "at-end"),
            AnalyticsFixture.Event(w + 10, key, customId: "at-start"),
            AnalyticsFixture.Event(w + 15, other, customId: "other-key"),
            AnalyticsFixture.Event(w + 9, key, customId: "before"),
            AnalyticsFixture.Event(w + 21, key, customId: "after"));

        var events = (await fx.GetForJsonAsync($"{Path}?keyIds={key}&keyIds={other}&start={w + 10}&end={w + 20}")).AsArray();

        Assert.Equal(["at-start", "other-key", "at-end"], events.Select(e => (string?)e!["custom_id"]));
    }

    [Fact]
    public async Task Events_BracketArrayForm_AcceptedLikeRepeatedKeys()
    {
        var w = fx.NewWindow();
        var (a, b) = (AnalyticsFixture.NewId("key"), AnalyticsFixture.NewId("key"));
        await fx.SeedAsync(AnalyticsFixture.Event(w + 1, a), AnalyticsFixture.Event(w + 2, b), AnalyticsFixture.Event(w + 3, AnalyticsFixture.NewId("key")));

        var events = (await fx.GetForJsonAsync($"{Path}?keyIds[]={a}&keyIds%5B%5D={b}&start={w}&end={w + 10}")).AsArray();

        Assert.Equal([a, b], events.Select(e => (string?)e!["key_id"]));
    }

    [Fact]
    public async Task Events_ByCustomId_OnlyThatCustomIdAcrossKeys()
    {
        var w = fx.NewWindow();
        var customId = AnalyticsFixture.NewId("cust");
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + 1, AnalyticsFixture.NewId("key"), customId: customId),
            AnalyticsFixture.Event(w + 2, AnalyticsFixture.NewId("key"), customId: customId),
            AnalyticsFixture.Event(w + 3, AnalyticsFixture.NewId("key"), customId: "something-else"));

        var events = (await fx.GetForJsonAsync($"{Path}?customId={customId}")).AsArray();

        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(customId, (string?)e!["custom_id"]));
    }

    [Fact]
    public async Task Events_ByUserIdAndCustomId_BothMustMatch()
    {
        var w = fx.NewWindow();
        var (user, custom) = (AnalyticsFixture.NewId("user"), AnalyticsFixture.NewId("cust"));
        var key = AnalyticsFixture.NewId("key");
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + 1, key, customId: custom, userId: user),
            AnalyticsFixture.Event(w + 2, key, customId: custom, userId: "someone-else"),
            AnalyticsFixture.Event(w + 3, key, customId: "other", userId: user));

        var events = (await fx.GetForJsonAsync($"{Path}?userId={user}&customId={custom}")).AsArray();

        var only = Assert.Single(events)!;
        Assert.Equal(w + 1, (long)only["created_at"]!);
    }

    [Fact]
    public async Task Events_UserIdWithRange_RangeAppliesWithoutKeyIds()
    {
        var w = fx.NewWindow();
        var user = AnalyticsFixture.NewId("user");
        var key = AnalyticsFixture.NewId("key");
        await fx.SeedAsync(AnalyticsFixture.Event(w + 1, key, userId: user), AnalyticsFixture.Event(w + 50, key, userId: user));

        var events = (await fx.GetForJsonAsync($"{Path}?userId={user}&start={w + 10}&end={w + 60}")).AsArray();

        Assert.Equal([w + 50], events.Select(e => (long)e!["created_at"]!));
    }

    [Fact]
    public async Task Events_NothingMatches_EmptyArray()
    {
        var events = (await fx.GetForJsonAsync($"{Path}?customId={AnalyticsFixture.NewId("none")}")).AsArray();
        Assert.Empty(events);
    }

    [Fact]
    public async Task Events_NoFilter_400MissingFilters()
    {
        using var response = await fx.Client.GetAsync(Path);
        var detail = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, AdminProblem.MissingFilters, Path);
        Assert.Contains("customId, userId or keyIds", detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("?keyIds=k", "start is required")]
    [InlineData("?keyIds=k&start=1700000000", "end is required")]
    [InlineData("?keyIds=k&end=1700000000", "start is required")]
    [InlineData("?keyIds=k&start=abc&end=1700000000", "start must be an integer")]
    [InlineData("?keyIds=k&start=1700000000&end=1.5", "end must be an integer")]
    [InlineData("?keyIds=k&start=1700000100&end=1700000000", "must not be after end")]
    [InlineData("?keyIds=k&start=0&end=1700000000", "start must be a positive")]
    [InlineData("?keyIds=&start=1700000000&end=1700000100", "keyIds must not contain")]
    [InlineData("?customId=a&customId=b", "customId must be given once")]
    [InlineData("?customId=a&start=1700000000000", "unix timestamp in seconds")]
    public async Task Events_InvalidQuery_400NamingTheParameter(string query, string detail)
    {
        using var response = await fx.Client.GetAsync(Path + query);
        var actual = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, AdminProblem.Validation, Path);
        Assert.Contains(detail, actual, StringComparison.Ordinal);
    }
}
