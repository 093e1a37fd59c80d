using Gateway.Domain.Providers;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Costing;

namespace Gateway.Domain.Tests.Caching;

public sealed class CachedEventCostTests
{
    private static readonly UsageCostCalculator Calculator = new(PriceTable.Default);

    private static UsageEventMessage Chat(bool cached) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        Provider = "openai",
        Model = "gpt-4o",
        Path = "/api/providers/openai/v1/chat/completions",
        Method = "POST",
        Status = 200,
        Usage = new TokenUsage { PromptTokens = 1000, CompletionTokens = 500, CachedPromptTokens = 100 },
        Cached = cached,
    };

    [Fact]
    public void CachedEvent_KeepsItsTokensAndCostsNothing()
    {
        var costMap = new CostMap { PromptCostPerModel = new() { ["gpt-4o"] = 1m }, CompletionCostPerModel = new() { ["gpt-4o"] = 2m } };

        var forwarded = Calculator.Calculate(Chat(cached: false), null);
        var cached = Calculator.Calculate(Chat(cached: true), null);
        var cachedWithMap = Calculator.Calculate(Chat(cached: true), costMap);

        Assert.True(forwarded.Total > 0m);
        Assert.Equal(0m, cached.Total);
        Assert.Equal(0m, cachedWithMap.Total);
        Assert.Equal(1000, cached.PromptTokens);
        Assert.Equal(500, cached.CompletionTokens);
        Assert.False(cached.UnknownModel);
    }

    [Fact]
    public void CachedEventWithoutUsage_CountsTokensAndCostsNothing()
    {
        var message = Chat(cached: true);
        message.Usage = null;
        message.PromptText = "one two three four";
        message.CompletionText = "five six";

        var cost = Calculator.Calculate(message, null);

        Assert.True(cost.PromptTokens > 0);
        Assert.True(cost.CompletionTokens > 0);
        Assert.Equal(0m, cost.Total);
    }
}
