using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Functions.Translation;

/// <summary>
/// A whole Anthropic Messages response → an OpenAI <c>chat.completion</c>: text blocks joined as
/// the content, <c>tool_use</c> blocks as <c>tool_calls</c> (arguments = the input as JSON text),
/// the stop reason mapped, usage with cache tokens (<see cref="AnthropicUsage"/>). In JSON mode
/// the forced tool's input is the content.
/// </summary>
internal static class AnthropicResponseTranslator
{
    /// <summary>Null when <paramref name="anthropic"/> is not an Anthropic message (the caller passes it through).</summary>
    public static byte[]? Translate(ReadOnlySpan<byte> anthropic, long created, bool jsonMode)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(anthropic.ToArray());
        }
        catch (JsonException)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var buffer = new ArrayBufferWriter<byte>(1024);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteString("id", StringOf(root, "id") ?? "chatcmpl");
                writer.WriteString("object", "chat.completion");
                writer.WriteNumber("created", created);
                writer.WriteString("model", StringOf(root, "model") ?? string.Empty);
                writer.WriteStartArray("choices");
                writer.WriteStartObject();
                writer.WriteNumber("index", 0);
                WriteMessage(writer, content, jsonMode);
                writer.WriteNull("logprobs");
                writer.WriteString("finish_reason", AnthropicFinishReason.Map(StringOf(root, "stop_reason"), jsonMode));
                writer.WriteEndObject();
                writer.WriteEndArray();
                var usage = default(AnthropicUsage);
                if (root.TryGetProperty("usage", out var usageElement))
                {
                    usage.Read(usageElement);
                }

                usage.Write(writer);
                writer.WriteEndObject();
            }

            return buffer.WrittenSpan.ToArray();
        }
    }

    private static void WriteMessage(Utf8JsonWriter writer, JsonElement content, bool jsonMode)
    {
        var text = new StringBuilder();
        var hasText = false;
        var toolCalls = 0;
        foreach (var block in content.EnumerateArray())
        {
            switch (StringOf(block, "type"))
            {
                case "text":
                    text.Append(StringOf(block, "text"));
                    hasText = true;
                    break;
                case "tool_use" when jsonMode && StringOf(block, "name") == AnthropicRequestTranslator.JsonToolName:
                    text.Append(block.GetProperty("input").GetRawText());
                    hasText = true;
                    break;
                case "tool_use":
                    toolCalls++;
                    break;
                default:
                    // thinking / redacted_thinking: never asked for by a translated request.
                    break;
            }
        }

        writer.WriteStartObject("message");
        writer.WriteString("role", "assistant");
        if (hasText)
        {
            writer.WriteString("content", text.ToString());
        }
        else
        {
            writer.WriteNull("content");
        }

        writer.WriteNull("refusal");
        if (toolCalls > 0)
        {
            writer.WriteStartArray("tool_calls");
            foreach (var block in content.EnumerateArray())
            {
                if (StringOf(block, "type") != "tool_use" || (jsonMode && StringOf(block, "name") == AnthropicRequestTranslator.JsonToolName))
                {
                    continue;
                }

                writer.WriteStartObject();
                writer.WriteString("id", StringOf(block, "id"));
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", StringOf(block, "name"));
                writer.WriteString("arguments", block.TryGetProperty("input", out var input) ? input.GetRawText() : "{}");
                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    internal static string? StringOf(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
