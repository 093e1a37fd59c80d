using System.Net;
using Gateway.Admin.Functions.Http;

namespace Gateway.Admin.Functions.Tests.Analytics;

/// <summary>
/// <c>POST /api/reporting/events-by-day</c>: computed from the events table by UTC day (BricksLLM
/// read a table nothing wrote). W is a UTC midnight; the range is day 0 10:00 to day 2 01:00.
/// </summary>
public sealed class ReportingEventsByDayTests(AnalyticsFixture fx) : IClassFixture<AnalyticsFixture>
{
    private const string Path = "/api/reporting/events-by-day";
    private const long Day = 86_400;

    [Fact]
    public async Task ByDay_EventsAcrossDays_OnePointPerUtcDayAtMidnight()
    {
        var w = fx.NewWindow();
        var key = AnalyticsFixture.NewId("key");
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + (9 * 3600), key, 7m, 7000, status: 200),                           // day 0 09:00, before start
            AnalyticsFixture.Event(w + (12 * 3600), key, 0.25m, 100, 10, 1, 200, "gpt-4o"),               // day 0 12:00
            AnalyticsFixture.Event(w + Day - 1, key, 0.5m, 300, 20, 2, 500, "gpt-4o-mini"),               // day 0 23:59:59
            AnalyticsFixture.Event(w + Day, key, 1m, 200, 30, 3, 200, "gpt-4o"),                          // day 1 00:00:00
            AnalyticsFixture.Event(w + (2 * Day) + 1800, key, 2m, 400, 40, 4, 204, "gpt-4o"),             // day 2 00:30
            AnalyticsFixture.Event(w + (2 * Day) + 3600, key, 9m, 9000, status: 200));                     // day 2 01:00 = end

        var body = await fx.PostForJsonAsync(Path, $$"""{"start":{{w + (10 * 3600)}},"end":{{w + (2 * Day) + 3600}},"keyIds":["{{key}}"],"increment":1}""");

        var points = body["dataPoints"]!.AsArray();
        Assert.Equal([w, w + Day, w + (2 * Day)], points.Select(p => (long)p!["timeStamp"]!));
        Assert.Equal([2L, 1, 1], points.Select(p => (long)p!["numberOfRequests"]!));
        Assert.Equal([0.75, 1, 2], points.Select(p => (double)p!["costInUsd"]!));
        Assert.Equal([400L, 200, 400], points.Select(p => (long)p!["latencyInMs"]!));
        Assert.Equal([30L, 30, 40], points.Select(p => (long)p!["promptTokenCount"]!));
        Assert.Equal([3L, 3, 4], points.Select(p => (long)p!["completionTokenCount"]!));
        Assert.Equal([1L, 1, 1], points.Select(p => (long)p!["successCount"]!));

        // Latencies 100, 200, 300, 400: median rank 1.5 -> 250; p99 rank 2.97 -> 300 + 0.97 * 100 = 397.
        Assert.Equal(250, (double)body["latencyInMsMedian"]!, 9);
        Assert.Equal(397, (double)body["latencyInMs99th"]!, 9);
    }

    [Fact]
    public async Task ByDay_GroupedByModel_SplitsEachDay()
    {
        var w = fx.NewWindow();
        var key = AnalyticsFixture.NewId("key");
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + 10, key, 0.25m, model: "gpt-4o"),
            AnalyticsFixture.Event(w + 20, key, 0.5m, model: "gpt-4o-mini"),
            AnalyticsFixture.Event(w + 30, key, 0.25m, model: "gpt-4o"));

        var body = await fx.PostForJsonAsync(Path, $$"""{"start":{{w}},"end":{{w + (2 * Day)}},"keyIds":["{{key}}"],"filters":["model"]}""");

        var points = body["dataPoints"]!.AsArray();
        Assert.Equal(3, points.Count);
        Assert.Equal(("gpt-4o", 2L, 0.5), ((string?)points[0]!["model"], (long)points[0]!["numberOfRequests"]!, (double)points[0]!["costInUsd"]!));
        Assert.Equal(("gpt-4o-mini", 1L, 0.5), ((string?)points[1]!["model"], (long)points[1]!["numberOfRequests"]!, (double)points[1]!["costInUsd"]!));
        Assert.Equal((w + Day, string.Empty, 0L), ((long)points[2]!["timeStamp"]!, (string?)points[2]!["model"], (long)points[2]!["numberOfRequests"]!));
    }

    [Theory]
    [InlineData("""{"end":1700100000}""", "start is required")]
    [InlineData("""{"start":1700000000}""", "end is required")]
    [InlineData("""{"start":1700100000,"end":1700000000}""", "must be before end")]
    [InlineData("""{"start":1,"end":253402300799}""", "at most 100000")]
    [InlineData("""{"start":1700000000,"end":1700100000,"filters":["day"]}""", "filters: 'day'")]
    public async Task ByDay_InvalidBody_400NamingTheField(string json, string detail)
    {
        using var response = await fx.PostJsonAsync(Path, json);
        var actual = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, AdminProblem.Validation, Path);
        Assert.Contains(detail, actual, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ByDay_WrongType_400JsonUnmarshal()
    {
        using var response = await fx.PostJsonAsync(Path, """{"start":true,"end":1700100000}""");
        var detail = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, AdminProblem.JsonUnmarshal, Path);
        Assert.Contains("'start'", detail, StringComparison.Ordinal);
    }
}
