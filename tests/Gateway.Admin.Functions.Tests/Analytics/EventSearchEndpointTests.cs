using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Http;

namespace Gateway.Admin.Functions.Tests.Analytics;

/// <summary>
/// <c>POST /api/v2/events</c>. The scenario: four events of one key at W+10..W+40 with distinct
/// users, custom ids, tags, policies, actions and statuses, plus one of another key.
/// </summary>
public sealed class EventSearchEndpointTests(AnalyticsFixture fx) : IClassFixture<AnalyticsFixture>
{
    private const string Path = "/api/v2/events";

    private sealed record Scenario(long W, string Key, string OtherKey)
    {
        public string Body(string extra = "") => $$"""{"start":{{W + 10}},"end":{{W + 50}},"keyIds":["{{Key}}"]{{extra}}}""";
    }

    private async Task<Scenario> SeedScenarioAsync()
    {
        var w = fx.NewWindow();
        var s = new Scenario(w, AnalyticsFixture.NewId("key"), AnalyticsFixture.NewId("other"));
        var e1 = AnalyticsFixture.Event(w + 10, s.Key, 0.3m, status: 200, customId: "c1", userId: "u1", tags: ["a", "b"], policyId: "p1", action: "allowed");
        e1.Metadata = """{"n":1}""";
        await fx.SeedAsync(
            e1,
            AnalyticsFixture.Event(w + 20, s.Key, 0.1m, status: 403, customId: "c2", userId: "u2", tags: ["a"], policyId: "p2", action: "blocked"),
            AnalyticsFixture.Event(w + 30, s.Key, 0.2m, status: 200, customId: "c1", userId: "u1", tags: ["b"], policyId: "p1", action: "warned"),
            AnalyticsFixture.Event(w + 40, s.Key, 0.2m, status: 500, userId: "u3", action: "redacted"),
            AnalyticsFixture.Event(w + 25, s.OtherKey, 5m, status: 200, customId: "c1", userId: "u1", tags: ["a", "b"], policyId: "p1", action: "allowed"));
        return s;
    }

    private async Task<(long[] Times, long Count, JsonArray Events)> SearchAsync(Scenario s, string extra)
    {
        var body = await fx.PostForJsonAsync(Path, s.Body(extra));
        var events = body["events"]!.AsArray();
        return ([.. events.Select(e => (long)e!["created_at"]! - s.W)], (long)body["count"]!, events);
    }

    [Fact]
    public async Task Search_NoOrder_NewestFirstAndCountZero()
    {
        var s = await SeedScenarioAsync();
        var (times, count, events) = await SearchAsync(s, string.Empty);

        Assert.Equal([40L, 30, 20, 10], times);
        Assert.Equal(0, count);
        var first = events[3]!;
        Assert.Equal("u1", (string?)first["userId"]);
        Assert.Equal("p1", (string?)first["policyId"]);
        Assert.Equal("allowed", (string?)first["action"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"n":1}"""), first["metadata"]));
    }

    [Theory]
    [InlineData(""","dateOrder":"asc" """, new long[] { 10, 20, 30, 40 })]
    [InlineData(""","dateOrder":"DESC" """, new long[] { 40, 30, 20, 10 })]
    [InlineData(""","costOrder":"desc" """, new long[] { 10, 40, 30, 20 })]
    [InlineData(""","costOrder":"asc" """, new long[] { 20, 40, 30, 10 })]
    public async Task Search_Order_SortsAndBreaksCostTiesNewestFirst(string extra, long[] expected)
    {
        var s = await SeedScenarioAsync();
        var (times, _, _) = await SearchAsync(s, extra);
        Assert.Equal(expected, times);
    }

    [Fact]
    public async Task Search_LimitOffsetWithReturnCount_PageAndTotalBeforePaging()
    {
        var s = await SeedScenarioAsync();
        var (times, count, _) = await SearchAsync(s, ""","limit":2,"offset":1,"returnCount":true""");

        Assert.Equal([30L, 20], times);
        Assert.Equal(4, count);
    }

    [Fact]
    public async Task Search_OffsetPastTheEnd_EmptyPageWithCount()
    {
        var s = await SeedScenarioAsync();
        var (times, count, _) = await SearchAsync(s, ""","limit":10,"offset":4,"returnCount":true""");

        Assert.Empty(times);
        Assert.Equal(4, count);
    }

    [Theory]
    [InlineData(""","userIds":["u1"]""", new long[] { 30, 10 })]
    [InlineData(""","userIds":["u2","u3"]""", new long[] { 40, 20 })]
    [InlineData(""","customIds":["c2"]""", new long[] { 20 })]
    [InlineData(""","tags":["a"]""", new long[] { 20, 10 })]
    [InlineData(""","tags":["a","b"]""", new long[] { 10 })]
    [InlineData(""","policyIds":["p1"]""", new long[] { 30, 10 })]
    [InlineData(""","actions":["blocked","redacted"]""", new long[] { 40, 20 })]
    [InlineData(""","status":200""", new long[] { 30, 10 })]
    [InlineData(""","status":0""", new long[] { 40, 30, 20, 10 })]
    [InlineData(""","userIds":["u1"],"status":200,"tags":["b"],"actions":["warned"]""", new long[] { 30 })]
    public async Task Search_Filters_CombineWithAnd(string extra, long[] expected)
    {
        var s = await SeedScenarioAsync();
        var (times, count, _) = await SearchAsync(s, extra + ""","returnCount":true""");

        Assert.Equal(expected, times);
        Assert.Equal(expected.Length, count);
    }

    [Fact]
    public async Task Search_WithoutKeyIds_RangeIsHalfOpenAndCoversEveryKey()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, $$"""{"start":{{s.W + 20}},"end":{{s.W + 40}},"dateOrder":"asc","returnCount":true}""");

        Assert.Equal([20L, 25, 30], body["events"]!.AsArray().Select(e => (long)e!["created_at"]! - s.W));
        Assert.Equal(3, (long)body["count"]!);
    }

    [Theory]
    [InlineData("not json", AdminProblem.JsonUnmarshal, "not valid JSON")]
    [InlineData("""{"start":1700000000,"end":1700000100,"returnCount":"yes"}""", AdminProblem.JsonUnmarshal, "'returnCount'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"limit":"10"}""", AdminProblem.JsonUnmarshal, "'limit'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"limit":99999999999}""", AdminProblem.JsonUnmarshal, "'limit'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"actions":"blocked"}""", AdminProblem.JsonUnmarshal, "'actions'")]
    [InlineData("""{"end":1700000100}""", AdminProblem.Validation, "start is required")]
    [InlineData("""{"start":1700000000}""", AdminProblem.Validation, "end is required")]
    [InlineData("""{"start":1700000100,"end":1700000100}""", AdminProblem.Validation, "must be before end")]
    [InlineData("""{"start":1700000000,"end":1700000100,"costOrder":"asc","dateOrder":"asc"}""", AdminProblem.Validation, "cannot both be given")]
    [InlineData("""{"start":1700000000,"end":1700000100,"costOrder":"up"}""", AdminProblem.Validation, "costOrder must be asc or desc")]
    [InlineData("""{"start":1700000000,"end":1700000100,"dateOrder":"newest"}""", AdminProblem.Validation, "dateOrder must be asc or desc")]
    [InlineData("""{"start":1700000000,"end":1700000100,"actions":["deleted"]}""", AdminProblem.Validation, "actions: 'deleted'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"limit":-1}""", AdminProblem.Validation, "limit must not be negative")]
    [InlineData("""{"start":1700000000,"end":1700000100,"offset":-3}""", AdminProblem.Validation, "offset must not be negative")]
    [InlineData("""{"start":1700000000,"end":1700000100,"status":42}""", AdminProblem.Validation, "status must be an HTTP status code")]
    [InlineData("""{"start":1700000000,"end":1700000100,"policyIds":[""]}""", AdminProblem.Validation, "policyIds must not contain")]
    [InlineData("""{"start":1700000000,"end":1700000100,"tags":[null]}""", AdminProblem.Validation, "tags must not contain")]
    public async Task Search_InvalidBody_400NamingTheField(string json, string type, string detail)
    {
        using var response = await fx.PostJsonAsync(Path, json);
        var actual = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, type, Path);
        Assert.Contains(detail, actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_FormContentType_BodyStillReadAsJson()
    {
        // curl -d sends application/x-www-form-urlencoded; BricksLLM reads the body regardless.
        var s = await SeedScenarioAsync();
        using var response = await fx.Client.PostAsync(Path, new StringContent(s.Body(), System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
        var body = await fx.ReadJsonAsync(response);
        Assert.Equal(4, body["events"]!.AsArray().Count);
    }
}
