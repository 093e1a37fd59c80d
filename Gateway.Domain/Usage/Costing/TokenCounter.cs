using System.Collections.Concurrent;
using SharpToken;

namespace Gateway.Domain.Usage.Costing;

/// <summary>
/// Counts tokens with SharpToken when the provider reported no usage (streams without a usage chunk,
/// a client that went away): <c>o200k_base</c> for the gpt-4o / gpt-4.1 / gpt-5 / o-series families,
/// <c>claude</c> for Anthropic (an approximation for Claude 3 and later), <c>cl100k_base</c> for
/// gpt-4, gpt-3.5, embeddings and anything else.
/// </summary>
public static class TokenCounter
{
    private static readonly string[] O200kFamilies = ["gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "chatgpt-4o", "gpt-oss", "o1", "o3", "o4"];

    private static readonly ConcurrentDictionary<string, GptEncoding> Encodings = new(StringComparer.Ordinal);

    public static string EncodingFor(string? model)
    {
        var name = model?.Trim() ?? string.Empty;
        foreach (var family in O200kFamilies)
        {
            if (name.StartsWith(family, StringComparison.OrdinalIgnoreCase)
                && (name.Length == family.Length || name[family.Length] is '-' or '@' or ':' || !family.StartsWith('o')))
            {
                return "o200k_base";
            }
        }

        return name.StartsWith("claude", StringComparison.OrdinalIgnoreCase) ? "claude" : "cl100k_base";
    }

    public static int Count(string? model, string? text)
        => string.IsNullOrEmpty(text) ? 0 : Encodings.GetOrAdd(EncodingFor(model), GptEncoding.GetEncoding).CountTokens(text);
}
