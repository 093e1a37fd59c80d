using System.Collections.Frozen;
using System.Text.Json;

namespace Gateway.Domain.Usage;

// The names the usage tap looks for, compared as UTF-8 bytes, and the usage keys it shares.
public sealed partial class JsonUsageTap
{
    // The longest escaped form of a name the tap looks for ("duration" as eight \uXXXX escapes).
    private const int MaxEscapedKnownNameBytes = 6 * 8;

    /// <summary>
    /// Usage keys the common providers send (OpenAI chat, completions, embeddings, responses and
    /// transcriptions; Anthropic messages): stored under these shared strings, any other key under a new one.
    /// </summary>
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> KnownUsagePaths = FrozenSet.Create(
        StringComparer.Ordinal,
        "prompt_tokens",
        "completion_tokens",
        "total_tokens",
        "prompt_tokens_details.cached_tokens",
        "prompt_tokens_details.audio_tokens",
        "completion_tokens_details.reasoning_tokens",
        "completion_tokens_details.audio_tokens",
        "completion_tokens_details.accepted_prediction_tokens",
        "completion_tokens_details.rejected_prediction_tokens",
        "input_tokens",
        "output_tokens",
        "input_tokens_details.cached_tokens",
        "input_tokens_details.text_tokens",
        "input_tokens_details.audio_tokens",
        "input_token_details.text_tokens",
        "input_token_details.audio_tokens",
        "output_tokens_details.reasoning_tokens",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "cache_creation.ephemeral_5m_input_tokens",
        "cache_creation.ephemeral_1h_input_tokens",
        "server_tool_use.web_search_requests",
        "seconds").GetAlternateLookup<ReadOnlySpan<char>>();

    // The names the tap looks for, compared as UTF-8 bytes (the reader reads from a span, so ValueSpan is the whole name).
    private static Name NameOf(ref Utf8JsonReader reader)
        => reader.ValueIsEscaped ? NameOfEscaped(ref reader) : NameOf(reader.ValueSpan);

    // Rare: a name with escapes ("us\u0061ge") is unescaped first.
    private static Name NameOfEscaped(ref Utf8JsonReader reader)
    {
        if (reader.ValueSpan.Length > MaxEscapedKnownNameBytes)
        {
            return Name.Other;
        }

        Span<byte> name = stackalloc byte[MaxEscapedKnownNameBytes];
        try
        {
            return NameOf(name[..reader.CopyString(name)]);
        }
        catch (InvalidOperationException)
        {
            return Name.Other;
        }
    }

    private static Name NameOf(ReadOnlySpan<byte> name) => name.Length switch
    {
        4 when name.SequenceEqual("text"u8) => Name.Text,
        5 when name.SequenceEqual("usage"u8) => Name.Usage,
        5 when name.SequenceEqual("model"u8) => Name.Model,
        5 when name.SequenceEqual("delta"u8) => Name.Delta,
        7 when name.SequenceEqual("choices"u8) => Name.Choices,
        7 when name.SequenceEqual("message"u8) => Name.Message,
        7 when name.SequenceEqual("content"u8) => Name.Content,
        8 when name.SequenceEqual("duration"u8) => Name.Duration,
        _ => Name.Other,
    };

    /// <summary>A property name as far as the tap cares; <see cref="None"/> where there is no name (array items, the root).</summary>
    private enum Name : byte
    {
        None,
        Other,
        Usage,
        Choices,
        Message,
        Delta,
        Content,
        Text,
        Model,
        Duration,
    }
}
