using System.Collections.Frozen;

namespace Gateway.Functions.Telemetry;

/// <summary>
/// The OpenTelemetry GenAI semantic conventions' names (gen-ai-spans.md, gen-ai-metrics.md, v1.37+):
/// attributes, metrics, and the well-known values of <c>gen_ai.operation.name</c> and <c>gen_ai.provider.name</c>.
/// </summary>
internal static class GenAiNames
{
    public const string OperationName = "gen_ai.operation.name";
    public const string ProviderName = "gen_ai.provider.name";
    public const string RequestModel = "gen_ai.request.model";
    public const string ResponseModel = "gen_ai.response.model";
    public const string InputTokens = "gen_ai.usage.input_tokens";
    public const string OutputTokens = "gen_ai.usage.output_tokens";
    public const string TokenType = "gen_ai.token.type";
    public const string InputMessages = "gen_ai.input.messages";
    public const string OutputMessages = "gen_ai.output.messages";
    public const string ErrorType = "error.type";

    public const string OperationDuration = "gen_ai.client.operation.duration";
    public const string TokenUsage = "gen_ai.client.token.usage";
    public const string TimeToFirstChunk = "gen_ai.client.operation.time_to_first_chunk";

    // Providers the conventions name take their registered value; the others keep the gateway's name.
    private static readonly FrozenDictionary<string, string> Providers = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["openai"] = "openai",
        ["azure"] = "azure.ai.openai",
        ["anthropic"] = "anthropic",
        ["bedrock"] = "aws.bedrock",
    }.ToFrozenDictionary(StringComparer.Ordinal);

    public static string Provider(string adapterName) => Providers.GetValueOrDefault(adapterName, adapterName);

    /// <summary>
    /// The operation of an upstream path (below the provider's prefix), from its last segments: a
    /// fixed set of values (paths carry ids, so the path itself would be unbounded).
    /// </summary>
    public static string Operation(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var trimmed = path.AsSpan().TrimEnd('/');
        if (trimmed.EndsWith("chat/completions", StringComparison.Ordinal)
            || (trimmed.EndsWith("messages", StringComparison.Ordinal) && !trimmed.Contains("threads/", StringComparison.Ordinal))
            || trimmed.EndsWith("responses", StringComparison.Ordinal))
        {
            return "chat";
        }

        if (trimmed.EndsWith("completions", StringComparison.Ordinal) || trimmed.EndsWith("complete", StringComparison.Ordinal))
        {
            return "text_completion";
        }

        if (trimmed.EndsWith("embeddings", StringComparison.Ordinal))
        {
            return "embeddings";
        }

        return trimmed.Contains("images/", StringComparison.Ordinal) ? "image_generation"
            : trimmed.Contains("audio/", StringComparison.Ordinal) ? "audio"
            : "other";
    }
}
