using System.Buffers;
using System.Text.Json;

namespace Gateway.Functions.Translation;

/// <summary>
/// Anthropic's Messages stream → OpenAI <c>chat.completion.chunk</c> events, one upstream event
/// at a time (state: the message id and model, which content block is which tool call, usage).
/// </summary>
/// <remarks>
/// <code>
///  message_start                        → delta {role: assistant, content: ""}
///  content_block_start  text            → (nothing; its deltas follow)
///  content_block_start  tool_use        → delta tool_calls[k] {id, type, function {name, arguments: ""}}
///  content_block_delta  text_delta      → delta {content}
///  content_block_delta  input_json_delta → delta tool_calls[k] {function {arguments}}  (JSON mode: delta {content})
///  message_delta                        → delta {} + finish_reason; usage updated
///  message_stop                         → usage chunk (choices: []) when asked, then [DONE]
///  error                                → {"error": {...}} then [DONE]
///  ping, content_block_stop             → (nothing)
/// </code>
/// </remarks>
internal sealed class AnthropicStreamTranslator(long created, bool jsonMode, bool includeUsage)
{
    private const int Skip = -2;
    private const int TextBlock = -1;

    // Content block index → tool call index (>= 0), TextBlock, or Skip.
    private readonly Dictionary<int, int> _blocks = [];
    private AnthropicUsage _usage;
    private int _toolCalls;
    private string _id = "chatcmpl";
    private string _model = string.Empty;

    /// <summary>The stream ended properly (message_stop or error): [DONE] was written.</summary>
    public bool Finished { get; private set; }

    /// <summary>The usage Anthropic reported so far.</summary>
    public AnthropicUsage Usage => _usage;

    /// <summary>Translates one server-sent event (blank line included) into <paramref name="output"/>.</summary>
    public void Translate(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var data = DataOf(sseEvent);
        if (data.IsEmpty || data[0] != (byte)'{')
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(data.ToArray());
        }
        catch (JsonException)
        {
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            switch (AnthropicResponseTranslator.StringOf(root, "type"))
            {
                case "message_start":
                    MessageStart(root, output);
                    break;
                case "content_block_start":
                    BlockStart(root, output);
                    break;
                case "content_block_delta":
                    BlockDelta(root, output);
                    break;
                case "message_delta":
                    MessageDelta(root, output);
                    break;
                case "message_stop":
                    if (includeUsage)
                    {
                        WriteUsageChunk(output);
                    }

                    WriteDone(output);
                    break;
                case "error":
                    AnthropicErrorTranslator.WriteOpenAiError(root, output, sse: true);
                    WriteDone(output);
                    break;
                default:
                    break;
            }
        }
    }

    private void MessageStart(JsonElement root, IBufferWriter<byte> output)
    {
        if (root.TryGetProperty("message", out var message))
        {
            _id = AnthropicResponseTranslator.StringOf(message, "id") ?? _id;
            _model = AnthropicResponseTranslator.StringOf(message, "model") ?? _model;
            if (message.TryGetProperty("usage", out var usage))
            {
                _usage.Read(usage);
            }
        }

        using var writer = StartChunk(output);
        writer.WriteString("role", "assistant");
        writer.WriteString("content", string.Empty);
        EndChunk(writer, output, null);
    }

    private void BlockStart(JsonElement root, IBufferWriter<byte> output)
    {
        var index = IndexOf(root);
        if (!root.TryGetProperty("content_block", out var block))
        {
            return;
        }

        switch (AnthropicResponseTranslator.StringOf(block, "type"))
        {
            case "text":
                _blocks[index] = TextBlock;
                if (AnthropicResponseTranslator.StringOf(block, "text") is { Length: > 0 } text)
                {
                    WriteContent(output, text);
                }

                break;
            case "tool_use" when jsonMode && AnthropicResponseTranslator.StringOf(block, "name") == AnthropicRequestTranslator.JsonToolName:
                _blocks[index] = TextBlock;
                break;
            case "tool_use":
                var call = _toolCalls++;
                _blocks[index] = call;
                using (var writer = StartChunk(output))
                {
                    writer.WriteStartArray("tool_calls");
                    writer.WriteStartObject();
                    writer.WriteNumber("index", call);
                    writer.WriteString("id", AnthropicResponseTranslator.StringOf(block, "id"));
                    writer.WriteString("type", "function");
                    writer.WriteStartObject("function");
                    writer.WriteString("name", AnthropicResponseTranslator.StringOf(block, "name"));
                    writer.WriteString("arguments", string.Empty);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                    EndChunk(writer, output, null);
                }

                break;
            default:
                _blocks[index] = Skip;
                break;
        }
    }

    private void BlockDelta(JsonElement root, IBufferWriter<byte> output)
    {
        if (!_blocks.TryGetValue(IndexOf(root), out var kind) || kind == Skip || !root.TryGetProperty("delta", out var delta))
        {
            return;
        }

        var piece = AnthropicResponseTranslator.StringOf(delta, "type") switch
        {
            "text_delta" => AnthropicResponseTranslator.StringOf(delta, "text"),
            "input_json_delta" => AnthropicResponseTranslator.StringOf(delta, "partial_json"),
            _ => null,
        };
        if (string.IsNullOrEmpty(piece))
        {
            return;
        }

        if (kind == TextBlock)
        {
            WriteContent(output, piece);
            return;
        }

        using var writer = StartChunk(output);
        writer.WriteStartArray("tool_calls");
        writer.WriteStartObject();
        writer.WriteNumber("index", kind);
        writer.WriteStartObject("function");
        writer.WriteString("arguments", piece);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteEndArray();
        EndChunk(writer, output, null);
    }

    private void MessageDelta(JsonElement root, IBufferWriter<byte> output)
    {
        if (root.TryGetProperty("usage", out var usage))
        {
            _usage.Read(usage);
        }

        var stopReason = root.TryGetProperty("delta", out var delta) ? AnthropicResponseTranslator.StringOf(delta, "stop_reason") : null;
        using var writer = StartChunk(output);
        EndChunk(writer, output, AnthropicFinishReason.Map(stopReason, jsonMode));
    }

    private void WriteContent(IBufferWriter<byte> output, string text)
    {
        using var writer = StartChunk(output);
        writer.WriteString("content", text);
        EndChunk(writer, output, null);
    }

    private void WriteUsageChunk(IBufferWriter<byte> output)
    {
        output.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(output))
        {
            WriteHeader(writer);
            writer.WriteStartArray("choices");
            writer.WriteEndArray();
            _usage.Write(writer);
            writer.WriteEndObject();
        }

        output.Write("\n\n"u8);
    }

    private void WriteDone(IBufferWriter<byte> output)
    {
        output.Write("data: [DONE]\n\n"u8);
        Finished = true;
    }

    // A chunk is written as: header, choices[0].delta {…} (the caller writes the delta's members), finish.
    private Utf8JsonWriter StartChunk(IBufferWriter<byte> output)
    {
        output.Write("data: "u8);
        var writer = new Utf8JsonWriter(output);
        WriteHeader(writer);
        writer.WriteStartArray("choices");
        writer.WriteStartObject();
        writer.WriteNumber("index", 0);
        writer.WriteStartObject("delta");
        return writer;
    }

    private static void EndChunk(Utf8JsonWriter writer, IBufferWriter<byte> output, string? finishReason)
    {
        writer.WriteEndObject();
        writer.WriteNull("logprobs");
        if (finishReason is null)
        {
            writer.WriteNull("finish_reason");
        }
        else
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.Flush();
        output.Write("\n\n"u8);
    }

    private void WriteHeader(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", _id);
        writer.WriteString("object", "chat.completion.chunk");
        writer.WriteNumber("created", created);
        writer.WriteString("model", _model);
    }

    private static int IndexOf(JsonElement root)
        => root.TryGetProperty("index", out var index) && index.TryGetInt32(out var value) ? value : 0;

    // The event's data lines joined (Anthropic sends one per event).
    internal static ReadOnlySpan<byte> DataOf(ReadOnlySpan<byte> sseEvent)
    {
        while (sseEvent.Length > 0)
        {
            var newline = sseEvent.IndexOf((byte)'\n');
            var line = newline < 0 ? sseEvent : sseEvent[..newline];
            sseEvent = newline < 0 ? [] : sseEvent[(newline + 1)..];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.StartsWith("data:"u8))
            {
                var payload = line[5..];
                return payload.Length > 0 && payload[0] == (byte)' ' ? payload[1..] : payload;
            }
        }

        return [];
    }
}
