using Gateway.Admin.Functions.Tests.Analytics;

namespace Gateway.Admin.Functions.Tests.Caching;

/// <summary><c>POST /api/reporting/events</c> with <c>filters: ["cached"]</c>: cache hits and forwarded requests apart.</summary>
public sealed class CachedReportingTests(AnalyticsFixture fx) : IClassFixture<AnalyticsFixture>
{
    [Fact]
    public async Task Report_GroupedByCached_SplitsHitsFromForwardedRequests()
    {
        var w = fx.NewWindow();
        var key = AnalyticsFixture.NewId("key");
        var hit1 = AnalyticsFixture.Event(w + 10, key, 0m, 5, 10, 20, 200, "gpt-4o");
        var hit2 = AnalyticsFixture.Event(w + 20, key, 0m, 7, 10, 20, 200, "gpt-4o");
        hit1.Cached = true;
        hit2.Cached = true;
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + 5, key, 0.25m, 900, 10, 20, 200, "gpt-4o"),
            hit1,
            hit2);

        var body = await fx.PostForJsonAsync("/api/reporting/events", $$"""{"start":{{w}},"end":{{w + 60}},"increment":60,"keyIds":["{{key}}"],"filters":["cached"]}""");

        var points = body["dataPoints"]!.AsArray();
        var cached = Assert.Single(points, p => p!["cached"] is { } c && (bool)c!);
        var forwarded = Assert.Single(points, p => p!["cached"] is { } c && !(bool)c!);
        Assert.Equal(2, (long)cached!["numberOfRequests"]!);
        Assert.Equal(0d, (double)cached["costInUsd"]!);
        Assert.Equal(20, (long)cached["promptTokenCount"]!);
        Assert.Equal(12, (long)cached["latencyInMs"]!);
        Assert.Equal(1, (long)forwarded!["numberOfRequests"]!);
        Assert.Equal(0.25d, (double)forwarded["costInUsd"]!);
    }

    [Fact]
    public async Task Report_UnknownGroup_NamesCachedAmongTheChoices()
    {
        using var response = await fx.PostJsonAsync("/api/reporting/events", """{"start":1,"end":2,"increment":1,"filters":["nope"]}""");

        var detail = await AnalyticsFixture.AssertProblemAsync(response, System.Net.HttpStatusCode.BadRequest, Gateway.Admin.Functions.Http.AdminProblem.Validation, "/api/reporting/events");
        Assert.Contains("provider, cached", detail, StringComparison.Ordinal);
    }
}
