namespace Gateway.Domain.Providers;

/// <summary>The providers the gateway serves natively, and which setting parameters each requires.</summary>
public static class BuiltInProviders
{
    public const string OpenAi = "openai";
    public const string Anthropic = "anthropic";
    public const string Azure = "azure";
    public const string Vllm = "vllm";
    public const string DeepInfra = "deepinfra";
    public const string Bedrock = "bedrock";

    public static IReadOnlyList<string> All { get; } = [OpenAi, Anthropic, Azure, Vllm, DeepInfra, Bedrock];

    public static bool IsBuiltIn(string? provider) => provider is not null && All.Contains(provider, StringComparer.Ordinal);

    /// <summary>The setting parameters a provider cannot work without (BricksLLM's <c>findMissingAuthParams</c>).</summary>
    public static IReadOnlyList<string> RequiredParameters(string provider) => provider switch
    {
        OpenAi or Anthropic or DeepInfra => [ProviderCredentials.ApiKey],
        Azure => ["resourceName", ProviderCredentials.ApiKey],
        Vllm => ["url"],
        Bedrock => [ProviderCredentials.AwsAccessKeyId, ProviderCredentials.AwsSecretAccessKey, "awsRegion"],
        _ => [],
    };
}
