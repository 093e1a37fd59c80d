using System.Text.Json.Nodes;

namespace Gateway.Testing.FakeLlm;

/// <summary>
/// How the fake counts tokens, public so tests can compute what to expect. A "token" is a word: a
/// maximal run of non-whitespace characters.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Completion tokens = <see cref="CountWords"/> of the response text = the number of content
/// events a stream sends (one per word, see <see cref="SplitIntoChunks"/>).</item>
/// <item>Prompt tokens = <see cref="FakeLlmBehavior.PromptTokens"/> when set, otherwise
/// <see cref="CountContentWords"/> summed over: OpenAI/Azure chat <c>messages[].content</c>;
/// completions <c>prompt</c>; embeddings <c>input</c>; Anthropic <c>system</c> plus
/// <c>messages[].content</c>; Anthropic legacy <c>prompt</c>. Roles, names and other fields don't
/// count.</item>
/// <item>Total tokens = prompt + completion (embeddings: total = prompt).</item>
/// </list>
/// </remarks>
public static class FakeLlmTokens
{
    public static int CountWords(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return 0;
        }

        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace && !inWord)
            {
                words++;
            }

            inWord = !isSpace;
        }

        return words;
    }

    /// <summary>
    /// Splits <paramref name="text"/> into one chunk per word, each carrying the whitespace before it
    /// (the last also carries trailing whitespace), so the chunks concatenate back to the exact text.
    /// </summary>
    public static IReadOnlyList<string> SplitIntoChunks(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chunks = new List<string>();
        var start = 0;
        var i = 0;
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i == text.Length)
            {
                break;
            }

            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            chunks.Add(text[start..i]);
            start = i;
        }

        if (start < text.Length && chunks.Count > 0)
        {
            chunks[^1] += text[start..];
        }

        return chunks;
    }

    /// <summary>
    /// Words in a JSON content value of any provider: a string counts its words; an array sums its
    /// elements; a number counts 1 (a token id, as in OpenAI <c>prompt</c>/<c>input</c> token
    /// arrays); an object counts the words of its <c>text</c> property (text content parts/blocks).
    /// </summary>
    public static int CountContentWords(JsonNode? content) => content switch
    {
        JsonValue value when value.TryGetValue(out string? s) => CountWords(s),
        JsonValue value when value.TryGetValue(out double _) => 1,
        JsonArray array => array.Sum(CountContentWords),
        JsonObject obj => obj["text"] is JsonValue text && text.TryGetValue(out string? t) ? CountWords(t) : 0,
        _ => 0,
    };

    /// <summary>Words in every message's <c>content</c> of a chat/messages request (OpenAI, Azure, Anthropic).</summary>
    public static int CountMessageWords(JsonNode? messages)
        => messages is JsonArray array ? array.Sum(m => m is JsonObject message ? CountContentWords(message["content"]) : 0) : 0;
}
