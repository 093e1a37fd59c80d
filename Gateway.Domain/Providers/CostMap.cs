namespace Gateway.Domain.Providers;

/// <summary>BricksLLM's per-setting price override: USD per 1K tokens, keyed by the request's model.</summary>
public sealed class CostMap
{
    public Dictionary<string, decimal> PromptCostPerModel { get; set; } = [];

    public Dictionary<string, decimal> CompletionCostPerModel { get; set; } = [];

    public Dictionary<string, decimal> EmbeddingsCostPerModel { get; set; } = [];
}
