using System.Net;
using System.Text.Json.Nodes;
using Gateway.Admin.Functions.Http;

namespace Gateway.Admin.Functions.Tests.Analytics;

/// <summary>
/// <c>POST /api/reporting/events</c>. The scenario: start = W+1000, increment 600, end = W+4000, so
/// buckets start at W+1000, 1600, 2200, 2800 and 3400 (the last one cut at end).
/// </summary>
public sealed class ReportingEventsTests(AnalyticsFixture fx) : IClassFixture<AnalyticsFixture>
{
    private const string Path = "/api/reporting/events";

    private sealed record Scenario(long W, string Key, string OtherKey)
    {
        public long Start => W + 1000;

        public long End => W + 4000;

        public string Body(string extra = "") => $$"""{"start":{{Start}},"end":{{End}},"increment":600{{extra}}}""";
    }

    private async Task<Scenario> SeedScenarioAsync()
    {
        var w = fx.NewWindow();
        var s = new Scenario(w, AnalyticsFixture.NewId("key"), AnalyticsFixture.NewId("other"));
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + 1000, s.Key, 0.010m, 100, 10, 20, 200, "gpt-4o", customId: "c1", userId: "u1", tags: ["team-a", "prod"]),
            AnalyticsFixture.Event(w + 1599, s.Key, 0.020m, 300, 5, 5, 500, "gpt-4o-mini", customId: "c2", userId: "u2", tags: ["team-a"]),
            AnalyticsFixture.Event(w + 1600, s.Key, 0.005m, 200, 1, 2, 201, "gpt-4o", userId: "u1", tags: ["prod"]),
            AnalyticsFixture.Event(w + 2800, s.Key, 0.100m, 1000, 100, 50, 429, "gpt-4o", customId: "c1", userId: "u2", tags: ["team-a", "prod"]),
            AnalyticsFixture.Event(w + 3999, s.Key, 0.0000001m, 50, 0, 0, 200, "gpt-4o", customId: "c1", tags: ["prod"]),
            // Outside [start, end): at end exactly, and one second before start.
            AnalyticsFixture.Event(w + 4000, s.Key, 9m, 99_999, 9, 9, 200),
            AnalyticsFixture.Event(w + 999, s.Key, 9m, 99_999, 9, 9, 200),
            // Another key, in range.
            AnalyticsFixture.Event(w + 1000, s.OtherKey, 1m, 400, 7, 8, 200, "claude-3-5-sonnet", customId: "c9", userId: "u9", tags: ["team-b"]));
        return s;
    }

    private static void AssertPoint(JsonNode? point, long timeStamp, long requests, double cost, long latency, long prompt, long completion, long success)
    {
        Assert.NotNull(point);
        Assert.Equal(timeStamp, (long)point["timeStamp"]!);
        Assert.Equal(requests, (long)point["numberOfRequests"]!);
        Assert.Equal(cost, (double)point["costInUsd"]!);
        Assert.Equal(latency, (long)point["latencyInMs"]!);
        Assert.Equal(prompt, (long)point["promptTokenCount"]!);
        Assert.Equal(completion, (long)point["completionTokenCount"]!);
        Assert.Equal(success, (long)point["successCount"]!);
    }

    [Fact]
    public async Task Report_OneKey_BucketsMatchHandComputedSums()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body($$""","keyIds":["{{s.Key}}"]"""));

        var points = body["dataPoints"]!.AsArray();
        Assert.Equal(5, points.Count);
        AssertPoint(points[0], s.W + 1000, 2, 0.030, 400, 15, 25, 1);
        AssertPoint(points[1], s.W + 1600, 1, 0.005, 200, 1, 2, 1);
        AssertPoint(points[2], s.W + 2200, 0, 0, 0, 0, 0, 0);
        AssertPoint(points[3], s.W + 2800, 1, 0.1, 1000, 100, 50, 0);
        AssertPoint(points[4], s.W + 3400, 1, 0.0000001, 50, 0, 0, 1);

        // Ungrouped points carry no group fields.
        Assert.All(points, p => Assert.Equal(
            ["timeStamp", "numberOfRequests", "costInUsd", "latencyInMs", "promptTokenCount", "completionTokenCount", "successCount"],
            p!.AsObject().Select(f => f.Key)));
    }

    [Fact]
    public async Task Report_OneKey_PercentilesArePercentileContOfLatencies()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body($$""","keyIds":["{{s.Key}}"]"""));

        // Sorted latencies 50, 100, 200, 300, 1000. Median: rank 0.5*4 = 2 -> 200.
        // p99: rank 0.99*4 = 3.96 -> 300 + 0.96 * (1000 - 300) = 972.
        int[] latencies = [100, 300, 200, 1000, 50];
        Assert.Equal(200, AnalyticsFixture.PercentileCont(latencies, 0.5), 9);
        Assert.Equal(972, AnalyticsFixture.PercentileCont(latencies, 0.99), 9);
        Assert.Equal(200, (double)body["latencyInMsMedian"]!, 9);
        Assert.Equal(972, (double)body["latencyInMs99th"]!, 9);
    }

    [Fact]
    public async Task Report_NoFilters_CountsEveryKeyInRange()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body());

        var points = body["dataPoints"]!.AsArray();
        Assert.Equal(5, points.Count);
        AssertPoint(points[0], s.W + 1000, 3, 1.030, 800, 22, 33, 2);
        AssertPoint(points[2], s.W + 2200, 0, 0, 0, 0, 0, 0);

        // Latencies 50, 100, 200, 300, 400, 1000: median rank 2.5 -> 250; p99 rank 4.95 -> 400 + 0.95 * 600 = 970.
        Assert.Equal(250, (double)body["latencyInMsMedian"]!, 9);
        Assert.Equal(970, (double)body["latencyInMs99th"]!, 9);
    }

    [Fact]
    public async Task Report_GroupedByModel_OnePointPerModelPerBucket()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body($$""","keyIds":["{{s.Key}}"],"filters":["model"]"""));

        var points = body["dataPoints"]!.AsArray();
        Assert.Equal(6, points.Count);
        AssertPoint(points[0], s.W + 1000, 1, 0.010, 100, 10, 20, 1);
        Assert.Equal("gpt-4o", (string?)points[0]!["model"]);
        AssertPoint(points[1], s.W + 1000, 1, 0.020, 300, 5, 5, 0);
        Assert.Equal("gpt-4o-mini", (string?)points[1]!["model"]);
        AssertPoint(points[2], s.W + 1600, 1, 0.005, 200, 1, 2, 1);
        Assert.Equal("gpt-4o", (string?)points[2]!["model"]);

        // An empty bucket is still reported, with an empty group value.
        AssertPoint(points[3], s.W + 2200, 0, 0, 0, 0, 0, 0);
        Assert.Equal(string.Empty, (string?)points[3]!["model"]);
        Assert.Equal("gpt-4o", (string?)points[4]!["model"]);
        Assert.Equal("gpt-4o", (string?)points[5]!["model"]);
        Assert.All(points, p => Assert.Null(p!["keyId"]));
    }

    [Fact]
    public async Task Report_GroupedByKeyId_SplitsKeysWithinABucket()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body($$""","keyIds":["{{s.Key}}","{{s.OtherKey}}"],"filters":["keyId"]"""));

        var first = body["dataPoints"]!.AsArray().Where(p => (long)p!["timeStamp"]! == s.W + 1000).ToList();
        Assert.Equal(2, first.Count);
        var mine = first.Single(p => (string?)p!["keyId"] == s.Key);
        var other = first.Single(p => (string?)p!["keyId"] == s.OtherKey);
        AssertPoint(mine, s.W + 1000, 2, 0.030, 400, 15, 25, 1);
        AssertPoint(other, s.W + 1000, 1, 1, 400, 7, 8, 1);
    }

    [Fact]
    public async Task Report_GroupedByCustomId_NullCustomIdIsEmptyString()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body($$""","keyIds":["{{s.Key}}"],"filters":["customId"]"""));

        var points = body["dataPoints"]!.AsArray();
        var bucket1 = points.Single(p => (long)p!["timeStamp"]! == s.W + 1600)!;
        AssertPoint(bucket1, s.W + 1600, 1, 0.005, 200, 1, 2, 1);
        Assert.Equal(string.Empty, (string?)bucket1["customId"]);

        var c1 = points.Where(p => (string?)p!["customId"] == "c1").ToList();
        Assert.Equal([s.W + 1000, s.W + 2800, s.W + 3400], c1.Select(p => (long)p!["timeStamp"]!));
        Assert.Equal(1, (long)points.Single(p => (string?)p!["customId"] == "c2")!["numberOfRequests"]!);
    }

    [Fact]
    public async Task Report_GroupedByUserIdAndModel_CarriesBothGroupFields()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body($$""","keyIds":["{{s.Key}}"],"filters":["userId","model"]"""));

        var points = body["dataPoints"]!.AsArray();
        var bucket3 = points.Single(p => (long)p!["timeStamp"]! == s.W + 2800)!;
        Assert.Equal("u2", (string?)bucket3["userId"]);
        Assert.Equal("gpt-4o", (string?)bucket3["model"]);
        Assert.Null(bucket3["customId"]);
        Assert.Null(bucket3["keyId"]);
        Assert.Equal(6, points.Count);
    }

    [Fact]
    public async Task Report_UserIdsFilter_OnlyThoseUsersAndTheirPercentiles()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body($$""","keyIds":["{{s.Key}}"],"userIds":["u1"]"""));

        var points = body["dataPoints"]!.AsArray();
        AssertPoint(points[0], s.W + 1000, 1, 0.010, 100, 10, 20, 1);
        AssertPoint(points[1], s.W + 1600, 1, 0.005, 200, 1, 2, 1);
        Assert.Equal(2, points.Sum(p => (long)p!["numberOfRequests"]!));

        // Latencies 100, 200: median 150; p99 rank 0.99 -> 100 + 0.99 * 100 = 199.
        Assert.Equal(150, (double)body["latencyInMsMedian"]!, 9);
        Assert.Equal(199, (double)body["latencyInMs99th"]!, 9);
    }

    [Fact]
    public async Task Report_TagsFilter_RequiresEveryTag()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body(""","tags":["team-a","prod"]"""));

        var points = body["dataPoints"]!.AsArray();
        Assert.Equal(2, points.Sum(p => (long)p!["numberOfRequests"]!));
        AssertPoint(points[0], s.W + 1000, 1, 0.010, 100, 10, 20, 1);
        AssertPoint(points[3], s.W + 2800, 1, 0.1, 1000, 100, 50, 0);
    }

    [Fact]
    public async Task Report_CustomIdsFilter_OnlyThoseCustomIds()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, s.Body(""","customIds":["c2","c9"]"""));

        var points = body["dataPoints"]!.AsArray();
        AssertPoint(points[0], s.W + 1000, 2, 1.020, 700, 12, 13, 1);
        Assert.Equal(2, points.Sum(p => (long)p!["numberOfRequests"]!));
    }

    [Fact]
    public async Task Report_IncrementNotDividingRange_LastBucketStartsBeforeEnd()
    {
        var s = await SeedScenarioAsync();
        var body = await fx.PostForJsonAsync(Path, $$"""{"start":{{s.Start}},"end":{{s.End}},"increment":1000,"keyIds":["{{s.Key}}"]}""");

        // 3000 seconds by 1000: buckets W+1000, 2000, 3000 and no point at end itself.
        var points = body["dataPoints"]!.AsArray();
        Assert.Equal([s.W + 1000, s.W + 2000, s.W + 3000], points.Select(p => (long)p!["timeStamp"]!));
        AssertPoint(points[0], s.W + 1000, 3, 0.035, 600, 16, 27, 2);
        AssertPoint(points[1], s.W + 2000, 1, 0.1, 1000, 100, 50, 0);
        AssertPoint(points[2], s.W + 3000, 1, 0.0000001, 50, 0, 0, 1);
    }

    [Fact]
    public async Task Report_NoEventsInRange_ZeroBucketsAndZeroPercentiles()
    {
        var w = fx.NewWindow();
        var body = await fx.PostForJsonAsync(Path, $$"""{"start":{{w}},"end":{{w + 30}},"increment":10}""");

        var points = body["dataPoints"]!.AsArray();
        Assert.Equal([w, w + 10, w + 20], points.Select(p => (long)p!["timeStamp"]!));
        Assert.All(points, p => Assert.Equal(0, (long)p!["numberOfRequests"]!));
        Assert.Equal(0, (double)body["latencyInMsMedian"]!);
        Assert.Equal(0, (double)body["latencyInMs99th"]!);
    }

    [Theory]
    [InlineData("not json", AdminProblem.JsonUnmarshal, "not valid JSON")]
    [InlineData("[]", AdminProblem.JsonUnmarshal, "JSON object")]
    [InlineData("null", AdminProblem.JsonUnmarshal, "JSON object")]
    [InlineData("""{"start":"1700000000","end":1700000100,"increment":10}""", AdminProblem.JsonUnmarshal, "'start'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"increment":1.5}""", AdminProblem.JsonUnmarshal, "'increment'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"increment":10,"keyIds":"k"}""", AdminProblem.JsonUnmarshal, "'keyIds'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"increment":10,"filters":[1]}""", AdminProblem.JsonUnmarshal, "'filters'")]
    [InlineData("""{"end":1700000100,"increment":10}""", AdminProblem.Validation, "start is required")]
    [InlineData("""{"start":1700000000,"increment":10}""", AdminProblem.Validation, "end is required")]
    [InlineData("""{"start":1700000100,"end":1700000100,"increment":10}""", AdminProblem.Validation, "must be before end")]
    [InlineData("""{"start":1700000200,"end":1700000100,"increment":10}""", AdminProblem.Validation, "must be before end")]
    [InlineData("""{"start":1700000000,"end":1700000100}""", AdminProblem.Validation, "increment is required")]
    [InlineData("""{"start":1700000000,"end":1700000100,"increment":0}""", AdminProblem.Validation, "increment must be greater than 0")]
    [InlineData("""{"start":1700000000,"end":1700000100,"increment":-60}""", AdminProblem.Validation, "increment must be greater than 0")]
    [InlineData("""{"start":1,"end":1700000000,"increment":1}""", AdminProblem.Validation, "at most 100000")]
    [InlineData("""{"start":1700000000000,"end":1700000100000,"increment":10}""", AdminProblem.Validation, "unix timestamp in seconds")]
    [InlineData("""{"start":-5,"end":1700000100,"increment":10}""", AdminProblem.Validation, "start must be a positive")]
    [InlineData("""{"start":1700000000,"end":1700000100,"increment":10,"filters":["tag"]}""", AdminProblem.Validation, "filters: 'tag'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"increment":10,"keyIds":[""]}""", AdminProblem.Validation, "keyIds must not contain")]
    [InlineData("""{"start":1700000000,"end":1700000100,"increment":10,"userIds":[null]}""", AdminProblem.Validation, "userIds must not contain")]
    public async Task Report_InvalidBody_400NamingTheProblem(string json, string type, string detail)
    {
        using var response = await fx.PostJsonAsync(Path, json);
        var actual = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, type, Path);
        Assert.Contains(detail, actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_EmptyBody_400JsonUnmarshal()
    {
        using var response = await fx.Client.PostAsync(Path, new StringContent(string.Empty));
        var detail = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, AdminProblem.JsonUnmarshal, Path);
        Assert.Contains("empty", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_SeveralProblems_AllNamedInOneAnswer()
    {
        using var response = await fx.PostJsonAsync(Path, """{"start":0,"increment":0,"filters":["x"]}""");
        var detail = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, AdminProblem.Validation, Path);
        Assert.Contains("start must be a positive", detail, StringComparison.Ordinal);
        Assert.Contains("end is required", detail, StringComparison.Ordinal);
        Assert.Contains("increment must be greater than 0", detail, StringComparison.Ordinal);
        Assert.Contains("filters: 'x'", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_BodyOverLimit_413()
    {
        var ids = string.Join(",", Enumerable.Range(0, 10_000).Select(i => $"\"key-{i:D8}\""));
        using var response = await fx.PostJsonAsync(Path, $$"""{"start":1700000000,"end":1700000100,"increment":10,"keyIds":[{{ids}}]}""");
        await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, AdminProblem.Validation, Path);
    }

    [Fact]
    public async Task Report_WithoutAdminKey_401()
    {
        using var client = new HttpClient { BaseAddress = fx.App.BaseAddress };
        using var response = await client.PostAsync(Path, new StringContent("{}"));
        await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.Unauthorized, AdminProblem.Unauthorized, Path);
    }
}
