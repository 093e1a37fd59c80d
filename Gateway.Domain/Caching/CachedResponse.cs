using System.Text.Json.Serialization;

namespace Gateway.Domain.Caching;

/// <summary>What kind of answer an entry holds; decides how it is replayed.</summary>
public enum CachedResponseKind
{
    ChatCompletion,
    TextCompletion,
    Embeddings,
    AnthropicMessage,
}

/// <summary>
/// One cached answer, decrypted. <see cref="Json"/> is the provider's non-streamed body exactly as
/// delivered, when the answer was not streamed; <see cref="Parts"/> is the text of each choice (or
/// Anthropic content block) as its chunks came, when the answer is text only. A streamed request
/// is replayed from the parts; a non-streamed one from the JSON, or a body built from the parts.
/// </summary>
public sealed class CachedResponse
{
    public CachedResponseKind Kind { get; set; }

    public byte[]? Json { get; set; }

    public CachedParts? Parts { get; set; }

    public int PromptTokens { get; set; }

    public int CompletionTokens { get; set; }

    /// <summary>Whether the entry can answer a request that streams (<c>stream: true</c>).</summary>
    [JsonIgnore]
    public bool CanStream => Parts is not null && Kind != CachedResponseKind.Embeddings;
}

/// <summary>The identity and text of a text-only answer.</summary>
public sealed class CachedParts
{
    public string Id { get; set; } = string.Empty;

    public string Model { get; set; } = string.Empty;

    public long Created { get; set; }

    public string? SystemFingerprint { get; set; }

    /// <summary>Choices (OpenAI) or text content blocks (Anthropic), by index.</summary>
    public List<CachedChoice> Choices { get; set; } = [];

    /// <summary>Anthropic's <c>stop_sequence</c>.</summary>
    public string? StopSequence { get; set; }
}

/// <summary>One choice: its text as the chunks came, and why it stopped.</summary>
public sealed class CachedChoice
{
    public int Index { get; set; }

    public List<string> Segments { get; set; } = [];

    /// <summary><c>finish_reason</c> (OpenAI) or <c>stop_reason</c> (Anthropic).</summary>
    public string? FinishReason { get; set; }

    [JsonIgnore]
    public string Text => string.Concat(Segments);
}
