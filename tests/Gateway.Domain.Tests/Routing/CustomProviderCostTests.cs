using Gateway.Domain.Providers;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Costing;

namespace Gateway.Domain.Tests.Routing;

/// <summary>How ingest prices what the proxy records for a custom provider: texts, no usage.</summary>
public sealed class CustomProviderCostTests
{
    private static readonly UsageCostCalculator Calculator = new(PriceTable.Default);

    private static UsageEventMessage Event() => new()
    {
        EventId = Guid.NewGuid().ToString(),
        Provider = "acme",
        Model = "acme-large",
        Path = "/api/custom/providers/acme/chat/generate",
        Status = 200,
        PromptText = "be brief say hello",
        CompletionText = "Hello from the fake provider",
    };

    [Fact]
    public void CountedTexts_PricedFromTheSettingsCostMap_MarkedEstimated()
    {
        var costMap = new CostMap
        {
            PromptCostPerModel = new() { ["acme-large"] = 1.0m },
            CompletionCostPerModel = new() { ["acme-large"] = 2.0m },
        };

        var cost = Calculator.Calculate(Event(), costMap);

        Assert.True(cost.Estimated);
        Assert.True(cost.PromptTokens > 0);
        Assert.True(cost.CompletionTokens > 0);
        Assert.Equal(cost.PromptTokens * 1.0m / 1000m, cost.Prompt);
        Assert.Equal(cost.CompletionTokens * 2.0m / 1000m, cost.Completion);
        Assert.False(cost.UnknownModel);
    }

    [Fact]
    public void NoCostMap_CostsNothing_TokensStillCounted()
    {
        var cost = Calculator.Calculate(Event(), costMap: null);

        Assert.Equal(0m, cost.Total);
        Assert.True(cost.Estimated);
        Assert.True(cost.PromptTokens > 0);
    }
}
