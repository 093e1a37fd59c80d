namespace Gateway.Admin.Functions.ProviderSettings;

/// <summary>Body of <c>POST|PUT /api/provider-settings</c>.</summary>
internal sealed class CreateProviderSettingRequest
{
    /// <summary><c>openai</c>, <c>anthropic</c>, <c>azure</c>, <c>vllm</c>, <c>deepinfra</c>, <c>bedrock</c> or a custom provider's name.</summary>
    public string? Provider { get; set; }

    /// <summary>Parameters: <c>apikey</c> (or <c>apiKey</c>), <c>resourceName</c>, <c>url</c>, ...</summary>
    public Dictionary<string, string?>? Setting { get; set; }

    public string? Name { get; set; }

    public List<string?>? AllowedModels { get; set; }

    public CostMapItem? CostMap { get; set; }
}
