namespace Gateway.Dashboard.Tests;

[Collection(DashboardCollection.Name)]
public sealed class OverviewTests(DashboardFixture fixture)
{
    private const string PlottedTotals = """
        () => Object.fromEntries([...document.querySelectorAll('canvas[data-chart]')].map(c => [
          c.dataset.chart,
          Chart.getChart(c).data.datasets.map(d => d.data.reduce((s, v) => s + (v || 0), 0))]))
        """;

    [Theory]
    [InlineData("hour")]
    [InlineData("day")]
    [InlineData("week")]
    [InlineData("month")]
    public async Task Overview_EachPeriod_ChartsPlotTheSeededEventsTotals(string period)
    {
        await using var session = await DashboardSession.OpenAsync(fixture);
        await session.SignInAsync();
        await session.Page.ClickAsync($"button[data-period={period}]");
        await session.Page.WaitForSelectorAsync($"[data-page=overview][data-loaded={period}]");

        var totals = await session.Page.EvaluateAsync<Dictionary<string, double[]>>(PlottedTotals);
        var events = fixture.Events;
        Assert.Equal(events.Count, totals["requests"].Single());
        Assert.Equal((double)events.Sum(e => e.CostInUsd), totals["spend"].Single(), 9);
        Assert.Equal(events.Sum(e => e.PromptTokenCount), totals["tokens"][0]);
        Assert.Equal(events.Sum(e => e.CompletionTokenCount), totals["tokens"][1]);
        Assert.Contains("latency", totals.Keys);
        Assert.Contains("errorRate", totals.Keys);

        // One of the five seeded events failed.
        Assert.Equal(0.2, await session.Page.Locator("[data-stat=errorRate]").GetAttributeAsync("data-value") is { } rate ? double.Parse(rate, System.Globalization.CultureInfo.InvariantCulture) : -1, 9);

        // Breakdowns by model, provider, key and tag, and top keys by spend.
        var byProvider = await session.Page.Locator("[data-testid=by-provider] tbody tr").AllInnerTextsAsync();
        Assert.Contains(byProvider, r => r.StartsWith("openai", StringComparison.Ordinal) && r.Contains('3', StringComparison.Ordinal));
        Assert.Contains(byProvider, r => r.StartsWith("anthropic", StringComparison.Ordinal));
        Assert.Equal(3, await session.Page.Locator("[data-testid=by-model] tbody tr").CountAsync());
        var byKey = await session.Page.Locator("[data-testid=by-key] tbody tr").AllInnerTextsAsync();
        Assert.Contains(byKey, r => r.StartsWith("Team Alpha", StringComparison.Ordinal));
        var byTag = await session.Page.Locator("[data-testid=by-tag] tbody tr").AllInnerTextsAsync();
        Assert.Contains(byTag, r => r.StartsWith("alpha", StringComparison.Ordinal));
        Assert.Contains(byTag, r => r.StartsWith("beta", StringComparison.Ordinal));
        var top = await session.Page.Locator("[data-testid=top-keys] tbody tr").AllInnerTextsAsync();
        Assert.StartsWith("Team Beta", top[0], StringComparison.Ordinal); // $0.031 beats $0.022
        session.AssertNoErrors();
    }
}
