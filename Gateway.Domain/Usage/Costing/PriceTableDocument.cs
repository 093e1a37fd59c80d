namespace Gateway.Domain.Usage.Costing;

/// <summary>The JSON shape of <c>prices.json</c> and of the <c>Pricing__Overrides</c> setting.</summary>
public sealed class PriceTableDocument
{
    /// <summary>By provider name as the proxy reports it: <c>openai</c>, <c>azure</c>, <c>anthropic</c>, <c>vllm</c>, <c>deepinfra</c>, a custom provider's name.</summary>
    public Dictionary<string, ProviderPrices> Providers { get; set; } = [];
}

/// <summary>A provider's prices by model, and (Azure) by deployment.</summary>
public sealed class ProviderPrices
{
    public Dictionary<string, ModelPrice> Models { get; set; } = [];

    /// <summary>Azure OpenAI: prices of a deployment, whatever model the request names.</summary>
    public Dictionary<string, ModelPrice> Deployments { get; set; } = [];
}
