namespace Gateway.Domain.Usage;

/// <summary>
/// Token counts of one request, each priced at its own rate: prompt (including cached),
/// cached prompt, completion (including reasoning), reasoning, and Anthropic's cache writes and reads.
/// </summary>
public sealed class TokenUsage
{
    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    /// <summary>OpenAI <c>prompt_tokens_details.cached_tokens</c>: part of <see cref="PromptTokens"/>.</summary>
    public int CachedPromptTokens { get; set; }

    /// <summary>OpenAI <c>completion_tokens_details.reasoning_tokens</c>: part of <see cref="CompletionTokens"/>.</summary>
    public int ReasoningTokens { get; set; }

    /// <summary>Anthropic <c>cache_creation_input_tokens</c>: not part of <see cref="PromptTokens"/>.</summary>
    public int CacheCreationInputTokens { get; set; }

    /// <summary>Anthropic <c>cache_read_input_tokens</c>: not part of <see cref="PromptTokens"/>.</summary>
    public int CacheReadInputTokens { get; set; }

    /// <summary>
    /// Maps the numbers found under a response's <c>usage</c> (OpenAI chat/completions/embeddings,
    /// the Responses API, Anthropic) to token counts; null when there are none.
    /// </summary>
    public static TokenUsage? FromUsageNumbers(IReadOnlyDictionary<string, long> numbers)
    {
        ArgumentNullException.ThrowIfNull(numbers);
        if (numbers.Count == 0)
        {
            return null;
        }

        int Get(string a, string? b = null)
            => (int)Math.Max(numbers.GetValueOrDefault(a), b is null ? 0 : numbers.GetValueOrDefault(b));

        return new TokenUsage
        {
            PromptTokens = Get("prompt_tokens", "input_tokens"),
            CompletionTokens = Get("completion_tokens", "output_tokens"),
            CachedPromptTokens = Get("prompt_tokens_details.cached_tokens", "input_tokens_details.cached_tokens"),
            ReasoningTokens = Get("completion_tokens_details.reasoning_tokens", "output_tokens_details.reasoning_tokens"),
            CacheCreationInputTokens = Get("cache_creation_input_tokens"),
            CacheReadInputTokens = Get("cache_read_input_tokens"),
        };
    }
}
