namespace Gateway.Admin.Functions.ProviderSettings;

/// <summary>A setting's <c>costMap</c>: USD per 1K tokens by request model, overriding the built-in prices.</summary>
internal sealed class CostMapItem
{
    public Dictionary<string, decimal>? PromptCostPerModel { get; set; }

    public Dictionary<string, decimal>? CompletionCostPerModel { get; set; }

    public Dictionary<string, decimal>? EmbeddingsCostPerModel { get; set; }
}
