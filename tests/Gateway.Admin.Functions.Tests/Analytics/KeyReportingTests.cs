using System.Net;
using Gateway.Admin.Functions.Http;

namespace Gateway.Admin.Functions.Tests.Analytics;

/// <summary><c>GET /api/reporting/keys/{id}</c>, <c>/custom-ids</c> and <c>/user-ids</c>.</summary>
public sealed class KeyReportingTests(AnalyticsFixture fx) : IClassFixture<AnalyticsFixture>
{
    [Fact]
    public async Task KeySpend_EventsOfTheKey_SumInMicroDollarsRoundedDownOnce()
    {
        var w = fx.NewWindow();
        var key = AnalyticsFixture.Key("spender", w);
        await fx.SeedKeysAsync(key);
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + 1, key.KeyId, 0.1234567891m),
            AnalyticsFixture.Event(w + 2, key.KeyId, 0.0000009m),
            AnalyticsFixture.Event(w + 3, key.KeyId, 0.0000004m),
            AnalyticsFixture.Event(w + 4, AnalyticsFixture.NewId("other"), 5m));

        var body = await fx.GetForJsonAsync($"/api/reporting/keys/{key.KeyId}");

        // 0.1234567891 + 0.0000009 + 0.0000004 = 0.1234580891 USD = 123458.0891 micro-dollars. Truncating
        // each event first (BricksLLM's counter) would give 123456 + 0 + 0.
        Assert.Equal(["id", "costInMicroDollars"], body.AsObject().Select(f => f.Key));
        Assert.Equal(key.KeyId, (string?)body["id"]);
        Assert.Equal(123458, (long)body["costInMicroDollars"]!);
    }

    [Fact]
    public async Task KeySpend_KeyWithoutEvents_Zero()
    {
        var key = AnalyticsFixture.Key("idle", fx.NewWindow());
        await fx.SeedKeysAsync(key);

        var body = await fx.GetForJsonAsync($"/api/reporting/keys/{key.KeyId}");

        Assert.Equal(0, (long)body["costInMicroDollars"]!);
    }

    [Fact]
    public async Task KeySpend_UnknownKey_404NotFound()
    {
        var id = AnalyticsFixture.NewId("missing");
        using var response = await fx.Client.GetAsync($"/api/reporting/keys/{id}");
        var detail = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.NotFound, AdminProblem.NotFound, $"/api/reporting/keys/{id}");
        Assert.Contains(id, detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CustomIds_KeyEvents_DistinctSortedWithoutEmpty()
    {
        var w = fx.NewWindow();
        var key = AnalyticsFixture.NewId("key");
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + 1, key, customId: "c2"),
            AnalyticsFixture.Event(w + 2, key, customId: "c1"),
            AnalyticsFixture.Event(w + 3, key, customId: "c1"),
            AnalyticsFixture.Event(w + 4, key),
            AnalyticsFixture.Event(w + 5, key, customId: string.Empty),
            AnalyticsFixture.Event(w + 6, AnalyticsFixture.NewId("other"), customId: "c3"));

        var ids = await fx.GetForJsonAsync($"/api/reporting/custom-ids?keyId={key}");

        Assert.Equal(["c1", "c2"], ids.AsArray().Select(i => (string?)i));
    }

    [Fact]
    public async Task UserIds_KeyEvents_DistinctSortedWithoutEmpty()
    {
        var w = fx.NewWindow();
        var key = AnalyticsFixture.NewId("key");
        await fx.SeedAsync(
            AnalyticsFixture.Event(w + 1, key, userId: "zed"),
            AnalyticsFixture.Event(w + 2, key, userId: "amy"),
            AnalyticsFixture.Event(w + 3, key, userId: "zed"),
            AnalyticsFixture.Event(w + 4, key),
            AnalyticsFixture.Event(w + 5, key, userId: string.Empty),
            AnalyticsFixture.Event(w + 6, AnalyticsFixture.NewId("other"), userId: "bob"));

        var ids = await fx.GetForJsonAsync($"/api/reporting/user-ids?keyId={key}");

        Assert.Equal(["amy", "zed"], ids.AsArray().Select(i => (string?)i));
    }

    [Fact]
    public async Task CustomIds_UnknownKey_EmptyArray()
    {
        var ids = await fx.GetForJsonAsync($"/api/reporting/custom-ids?keyId={AnalyticsFixture.NewId("none")}");
        Assert.Empty(ids.AsArray());
    }

    [Theory]
    [InlineData("/api/reporting/custom-ids")]
    [InlineData("/api/reporting/custom-ids?keyId=")]
    [InlineData("/api/reporting/user-ids")]
    [InlineData("/api/reporting/user-ids?keyId=")]
    public async Task Ids_WithoutKeyId_400MissingFilters(string pathAndQuery)
    {
        using var response = await fx.Client.GetAsync(pathAndQuery);
        var detail = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, AdminProblem.MissingFilters, pathAndQuery.Split('?')[0]);
        Assert.Contains("keyId", detail, StringComparison.Ordinal);
    }
}
