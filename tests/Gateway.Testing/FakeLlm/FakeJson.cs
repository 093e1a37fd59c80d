using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Testing.FakeLlm;

/// <summary>Small helpers for writing wire JSON with <see cref="Utf8JsonWriter"/> and reading request fields.</summary>
internal static class FakeJson
{
    public static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string? String(JsonNode? node) => node is JsonValue value && value.TryGetValue(out string? s) ? s : null;

    public static bool Bool(JsonNode? node) => node is JsonValue value && value.TryGetValue(out bool b) && b;

    public static int? Int(JsonNode? node) => node is JsonValue value && value.TryGetValue(out int i) ? i : null;

    /// <summary>OpenAI's <c>usage</c> object; chat adds the token details, legacy completions don't.</summary>
    public static void WriteOpenAiUsage(Utf8JsonWriter w, int promptTokens, int completionTokens, bool withDetails)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", promptTokens);
        w.WriteNumber("completion_tokens", completionTokens);
        w.WriteNumber("total_tokens", promptTokens + completionTokens);
        if (!withDetails)
        {
            w.WriteEndObject();
            return;
        }

        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("accepted_prediction_tokens", 0);
        w.WriteNumber("rejected_prediction_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Azure's content-filter annotations, all "safe": Azure adds them to every chat and completions response.</summary>
    public static void WriteAzureContentFilterResults(Utf8JsonWriter w, string propertyName)
    {
        w.WriteStartObject(propertyName);
        foreach (var category in (ReadOnlySpan<string>)["hate", "self_harm", "sexual", "violence"])
        {
            w.WriteStartObject(category);
            w.WriteBoolean("filtered", false);
            w.WriteString("severity", "safe");
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Azure's <c>prompt_filter_results</c> array.</summary>
    public static void WriteAzurePromptFilterResults(Utf8JsonWriter w)
    {
        w.WriteStartArray("prompt_filter_results");
        w.WriteStartObject();
        w.WriteNumber("prompt_index", 0);
        WriteAzureContentFilterResults(w, "content_filter_results");
        w.WriteEndObject();
        w.WriteEndArray();
    }
}
