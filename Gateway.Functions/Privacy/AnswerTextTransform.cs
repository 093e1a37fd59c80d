using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Privacy;

/// <summary>
/// Applies an <see cref="ITextWindow"/> to the text of an answer, one window per text slot:
/// OpenAI-style <c>choices[i]</c> (<c>delta.content</c>, <c>message.content</c>, <c>text</c>) and
/// Anthropic content blocks (<c>content[i].text</c>, <c>content_block_delta</c> text deltas). In a
/// stream, what a window holds back is released at the slot's end (<c>finish_reason</c>,
/// <c>content_block_stop</c>), before <c>[DONE]</c>, or when the upstream ends. Everything that is
/// not answer text passes through byte for byte.
/// </summary>
internal sealed class AnswerTextTransform(Func<ITextWindow> newWindow) : IResponseTransform
{
    private readonly Dictionary<string, ITextWindow> _slots = new(StringComparer.Ordinal);
    private JsonObject? _lastChunk;

    public string? ContentType(string? upstreamContentType) => null;

    public void TransformBody(ReadOnlySpan<byte> body, int status, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (status is < 200 or >= 300 || !TryParse(body, out var root))
        {
            output.Write(body);
            return;
        }

        var texts = BodyTexts(root);
        foreach (var text in texts)
        {
            var window = newWindow();
            var rewritten = window.Push(text.GetValue<string>()) + window.Flush();
            text.ReplaceWith(JsonValue.Create(rewritten));
        }

        if (texts.Count == 0)
        {
            output.Write(body);
            return;
        }

        using var writer = new Utf8JsonWriter(output);
        root.WriteTo(writer);
    }

    public void TransformEvent(ReadOnlySpan<byte> sseEvent, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var sse = SseEvent.Parse(sseEvent);
        if (sse.Data == "[DONE]")
        {
            Complete(output);
            output.Write(sseEvent);
            return;
        }

        if (sse.Data is null || !TryParse(Encoding.UTF8.GetBytes(sse.Data), out var root))
        {
            output.Write(sseEvent);
            return;
        }

        var changed = root["choices"] is JsonArray choices ? Choices(root, choices) : ContentBlock(root, output);
        if (!changed)
        {
            output.Write(sseEvent);
            return;
        }

        sse.Data = root.ToJsonString();
        sse.WriteTo(output);
    }

    public void Complete(IBufferWriter<byte> output)
    {
        foreach (var (slot, window) in _slots)
        {
            var rest = window.Flush();
            if (rest.Length == 0)
            {
                continue;
            }

            var index = int.Parse(slot.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture);
            if (slot[0] == 'a')
            {
                SseEvent.Write(output, "content_block_delta", TextDelta(index, rest));
            }
            else if (_lastChunk is not null)
            {
                var chunk = _lastChunk.DeepClone().AsObject();
                chunk["choices"] = new JsonArray(new JsonObject { ["index"] = index, ["delta"] = new JsonObject { ["content"] = rest }, ["finish_reason"] = null });
                chunk.Remove("usage");
                SseEvent.Write(output, null, chunk.ToJsonString());
            }
        }

        _slots.Clear();
    }

    private bool Choices(JsonObject root, JsonArray choices)
    {
        var changed = false;
        for (var i = 0; i < choices.Count; i++)
        {
            if (choices[i] is not JsonObject choice)
            {
                continue;
            }

            var slot = "c" + (choice["index"] is JsonValue index && index.TryGetValue<int>(out var n) ? n : i);
            var (holder, property) = choice["delta"] is JsonObject delta ? (delta, "content") : (choice, "text");
            if (holder[property] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                holder[property] = Window(slot).Push(value.GetValue<string>());
                changed = true;
            }

            if (choice["finish_reason"] is JsonValue && _slots.Remove(slot, out var window) && window.Flush() is { Length: > 0 } rest)
            {
                holder[property] = (holder[property] is JsonValue before && before.GetValueKind() == JsonValueKind.String ? before.GetValue<string>() : string.Empty) + rest;
                changed = true;
            }
        }

        if (choices.Count > 0)
        {
            _lastChunk = root;
        }

        return changed;
    }

    // Anthropic: text deltas go through the block's window; its stop releases what is held.
    private bool ContentBlock(JsonObject root, IBufferWriter<byte> output)
    {
        var type = root["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String ? t.GetValue<string>() : null;
        var index = root["index"] is JsonValue i && i.TryGetValue<int>(out var n) ? n : 0;
        if (type == "content_block_delta" && root["delta"] is JsonObject delta && delta["text"] is JsonValue text && text.GetValueKind() == JsonValueKind.String)
        {
            delta["text"] = Window("a" + index).Push(text.GetValue<string>());
            return true;
        }

        if (type == "content_block_stop" && _slots.Remove("a" + index, out var window) && window.Flush() is { Length: > 0 } rest)
        {
            SseEvent.Write(output, "content_block_delta", TextDelta(index, rest));
        }

        return false;
    }

    private ITextWindow Window(string slot)
    {
        if (!_slots.TryGetValue(slot, out var window))
        {
            _slots[slot] = window = newWindow();
        }

        return window;
    }

    private static string TextDelta(int index, string text)
        => new JsonObject { ["type"] = "content_block_delta", ["index"] = index, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = text } }.ToJsonString();

    private static List<JsonValue> BodyTexts(JsonObject root)
    {
        var texts = new List<JsonValue>();
        foreach (var item in (root["choices"] as JsonArray ?? []).Concat(root["content"] as JsonArray ?? []))
        {
            if (item is not JsonObject obj)
            {
                continue;
            }

            foreach (var node in (JsonNode?[])[(obj["message"] as JsonObject)?["content"], obj["text"]])
            {
                if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                {
                    texts.Add(value);
                }
            }
        }

        return texts;
    }

    private static bool TryParse(ReadOnlySpan<byte> json, out JsonObject root)
    {
        root = null!;
        try
        {
            var reader = new Utf8JsonReader(json);
            if (JsonNode.Parse(ref reader) is JsonObject parsed)
            {
                root = parsed;
                return true;
            }
        }
        catch (JsonException)
        {
            // Not JSON (a provider's plain-text error, a comment event): passed through as it is.
        }

        return false;
    }
}
