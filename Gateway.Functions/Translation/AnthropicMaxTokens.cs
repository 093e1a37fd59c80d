namespace Gateway.Functions.Translation;

/// <summary>
/// Anthropic requires <c>max_tokens</c>; OpenAI makes it optional (meaning "as much as the model
/// can"). When the caller sets neither <c>max_tokens</c> nor <c>max_completion_tokens</c>, the
/// model's maximum output is sent, from Anthropic's models overview (longest prefix wins).
/// </summary>
internal static class AnthropicMaxTokens
{
    /// <summary>Models not in the table: the smallest maximum any Claude model has.</summary>
    public const int Fallback = 4096;

    private static readonly (string Prefix, int MaxTokens)[] Table =
    [
        ("claude-3-haiku", 4096),
        ("claude-3-sonnet", 4096),
        ("claude-3-opus", 4096),
        ("claude-3-5-haiku", 8192),
        ("claude-3-5-sonnet", 8192),
        ("claude-3-7-sonnet", 64000),
        ("claude-sonnet-4", 64000),
        ("claude-opus-4", 32000),
        ("claude-opus-4-5", 64000),
        ("claude-haiku-4", 64000),
    ];

    public static int For(string model)
    {
        ArgumentNullException.ThrowIfNull(model);

        // Bedrock model ids carry a vendor prefix (and a region for inference profiles) and a version
        // suffix: us.anthropic.claude-3-5-haiku-20241022-v1:0.
        var vendor = model.IndexOf("anthropic.", StringComparison.Ordinal);
        var name = vendor >= 0 ? model[(vendor + "anthropic.".Length)..] : model;
        var best = -1;
        var result = Fallback;
        foreach (var (prefix, maxTokens) in Table)
        {
            if (prefix.Length > best && name.StartsWith(prefix, StringComparison.Ordinal))
            {
                best = prefix.Length;
                result = maxTokens;
            }
        }

        return result;
    }
}
