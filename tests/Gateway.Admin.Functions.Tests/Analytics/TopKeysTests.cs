using System.Net;
using Gateway.Admin.Functions.Http;

namespace Gateway.Admin.Functions.Tests.Analytics;

/// <summary>
/// One dataset in its own database, read by every test: spend in [W+1000, W+2000) is beta 1.25,
/// a deleted key 0.75, alpha 0.5 (plus 20 outside the range), gamma nothing; delta is created at
/// the range's end; an event without a key costs 3.
/// </summary>
public sealed class TopKeysFixture : AnalyticsFixture
{
    public const long W = 1_700_006_400;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var alpha = Key("Alpha Team", W, false, "t1");
        alpha.KeyId = "key-alpha";
        var beta = Key("beta_bot", W - 100, true, "t1", "t2");
        beta.KeyId = "key-beta";
        var gamma = Key("GAMMA 100%", W, false, "t2");
        gamma.KeyId = "key-gamma";
        var delta = Key("delta", W + 2000, false, "t1");
        delta.KeyId = "key-delta";
        await SeedKeysAsync(alpha, beta, gamma, delta);
        await SeedAsync(
            Event(W + 1000, "key-alpha", 0.2m),
            Event(W + 1999, "key-alpha", 0.3m),
            Event(W + 2000, "key-alpha", 10m),
            Event(W + 999, "key-alpha", 10m),
            Event(W + 1500, "key-beta", 1.25m),
            Event(W + 1200, "key-deleted", 0.75m),
            Event(W + 1300, string.Empty, 3m));
    }
}

public sealed class TopKeysTests(TopKeysFixture fx) : IClassFixture<TopKeysFixture>
{
    private const string Path = "/api/reporting/top-keys";

    private async Task<(string KeyId, double Cost)[]> TopAsync(string extra = "")
    {
        var body = await fx.PostForJsonAsync(Path, $$"""{"start":{{TopKeysFixture.W + 1000}},"end":{{TopKeysFixture.W + 2000}}{{extra}}}""");
        var points = body["dataPoints"]!.AsArray();
        Assert.All(points, p => Assert.Equal(["keyId", "costInUsd"], p!.AsObject().Select(f => f.Key)));
        return [.. points.Select(p => ((string)p!["keyId"]!, (double)p["costInUsd"]!))];
    }

    [Fact]
    public async Task TopKeys_NoFilters_SpendDescendingWithIdleAndDeletedKeys()
    {
        Assert.Equal(
            [("key-beta", 1.25), ("key-deleted", 0.75), ("key-alpha", 0.5), ("key-gamma", 0)],
            await TopAsync());
    }

    [Fact]
    public async Task TopKeys_OrderAsc_SpendAscending()
    {
        Assert.Equal(
            [("key-gamma", 0), ("key-alpha", 0.5), ("key-deleted", 0.75), ("key-beta", 1.25)],
            await TopAsync(""","order":"ASC" """));
    }

    [Fact]
    public async Task TopKeys_LimitAndOffset_PageOfTheRanking()
    {
        Assert.Equal([("key-deleted", 0.75), ("key-alpha", 0.5)], await TopAsync(""","limit":2,"offset":1"""));
        Assert.Equal([("key-gamma", 0.0)], await TopAsync(""","limit":2,"offset":3"""));
    }

    [Theory]
    [InlineData(""","name":"a tea" """, "key-alpha")]
    [InlineData(""","name":"%" """, "key-gamma")]
    [InlineData(""","name":"_" """, "key-beta")]
    [InlineData(""","revoked":true""", "key-beta")]
    [InlineData(""","revoked":false""", "key-alpha,key-gamma")]
    [InlineData(""","tags":["t1"]""", "key-beta,key-alpha")]
    [InlineData(""","tags":["t1","t2"]""", "key-beta")]
    [InlineData(""","keyIds":["key-alpha","key-deleted"]""", "key-deleted,key-alpha")]
    [InlineData(""","keyIds":["key-gamma"]""", "key-gamma")]
    [InlineData(""","keyIds":["key-delta"]""", "")]
    public async Task TopKeys_Filters_OnlyMatchingKeys(string extra, string expected)
    {
        var keys = (await TopAsync(extra)).Select(p => p.KeyId);
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), keys);
    }

    [Theory]
    [InlineData("""{"start":1700000000,"end":1700000100,"order":"sideways"}""", AdminProblem.Validation, "order must be asc or desc")]
    [InlineData("""{"start":1700000000,"end":1700000100,"limit":-1}""", AdminProblem.Validation, "limit must not be negative")]
    [InlineData("""{"start":1700000000,"end":1700000100,"offset":-1}""", AdminProblem.Validation, "offset must not be negative")]
    [InlineData("""{"start":1700000000}""", AdminProblem.Validation, "end is required")]
    [InlineData("""{"start":1700000100,"end":1700000000}""", AdminProblem.Validation, "must be before end")]
    [InlineData("""{"start":1700000000,"end":1700000100,"tags":[""]}""", AdminProblem.Validation, "tags must not contain")]
    [InlineData("""{"start":1700000000,"end":1700000100,"revoked":"no"}""", AdminProblem.JsonUnmarshal, "'revoked'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"name":5}""", AdminProblem.JsonUnmarshal, "'name'")]
    [InlineData("""{"start":1700000000,"end":1700000100,"keyIds":[1]}""", AdminProblem.JsonUnmarshal, "'keyIds'")]
    [InlineData("{", AdminProblem.JsonUnmarshal, "not valid JSON")]
    public async Task TopKeys_InvalidBody_400NamingTheField(string json, string type, string detail)
    {
        using var response = await fx.PostJsonAsync(Path, json);
        var actual = await AnalyticsFixture.AssertProblemAsync(response, HttpStatusCode.BadRequest, type, Path);
        Assert.Contains(detail, actual, StringComparison.Ordinal);
    }
}
