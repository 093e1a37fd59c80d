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

    /// <summary>
    /// Any OpenAI-compatible API (Groq, Together, Mistral, Perplexity, Fireworks, Ollama, LM Studio,
    /// vLLM, Gemini's OpenAI endpoint): several settings of it, each reached by its name.
    /// </summary>
    public const string OpenAiCompatible = "openai-compatible";

    public static IReadOnlyList<string> All { get; } = [OpenAi, Anthropic, Azure, Vllm, DeepInfra, Bedrock, OpenAiCompatible];

    public static bool IsBuiltIn(string? provider) => provider is not null && All.Contains(provider, StringComparer.Ordinal);

    /// <summary>The setting parameters a provider cannot work without (BricksLLM's <c>findMissingAuthParams</c>).</summary>
    public static IReadOnlyList<string> RequiredParameters(string provider) => provider switch
    {
        OpenAi or Anthropic or DeepInfra => [ProviderCredentials.ApiKey],
        Azure => ["resourceName", ProviderCredentials.ApiKey],
        Vllm or OpenAiCompatible => ["url"],
        Bedrock => [ProviderCredentials.AwsAccessKeyId, ProviderCredentials.AwsSecretAccessKey, "awsRegion"],
        _ => [],
    };
}
