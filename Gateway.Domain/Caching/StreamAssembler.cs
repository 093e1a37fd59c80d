using System.Text;
using System.Text.Json;

namespace Gateway.Domain.Caching;

/// <summary>
/// Rebuilds a text answer from the server-sent events delivered to the client: OpenAI chat and
/// text completion chunks (complete at <c>data: [DONE]</c>) or Anthropic message events (complete
/// at <c>message_stop</c>). A stream that did not complete, carried an error, tool calls or
/// log probabilities is not assembled (null): it is not cached.
/// </summary>
internal static class StreamAssembler
{
    public static CachedResponse? Assemble(CachedResponseKind kind, ReadOnlySpan<byte> stream)
    {
        if (kind == CachedResponseKind.Embeddings)
        {
            return null;
        }

        var state = new State(kind);
        try
        {
            foreach (var (name, data) in Events(Encoding.UTF8.GetString(stream)))
            {
                if (!state.Read(name, data))
                {
                    return null;
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }

        return state.Done ? new CachedResponse { Kind = kind, Parts = state.Parts } : null;
    }

    private static IEnumerable<(string? Name, string Data)> Events(string text)
    {
        string? name = null;
        var data = new StringBuilder();
        var hasData = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length == 0)
            {
                if (hasData)
                {
                    yield return (name, data.ToString());
                }

                name = null;
                data.Clear();
                hasData = false;
                continue;
            }

            if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (hasData)
                {
                    data.Append('\n');
                }

                data.Append(line.AsSpan(5).TrimStart(' '));
                hasData = true;
            }
        }

        if (hasData)
        {
            yield return (name, data.ToString());
        }
    }

    private sealed class State(CachedResponseKind kind)
    {
        private readonly Dictionary<int, CachedChoice> _choices = [];

        public CachedParts Parts { get; } = new();

        public bool Done { get; private set; }

        public bool Read(string? name, string data)
        {
            if (Done)
            {
                // Nothing is expected after the end; anything else is a stream we do not understand.
                return string.IsNullOrWhiteSpace(data);
            }

            if (kind != CachedResponseKind.AnthropicMessage && data == "[DONE]")
            {
                Done = true;
                Parts.Choices = [.. _choices.Values.OrderBy(static c => c.Index)];
                return true;
            }

            using var document = JsonDocument.Parse(data);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("error", out _) || name == "error")
            {
                return false;
            }

            return kind == CachedResponseKind.AnthropicMessage ? ReadAnthropic(root) : ReadOpenAi(root);
        }

        private bool ReadOpenAi(JsonElement root)
        {
            SetIdentity(root);
            if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
            {
                return true;
            }

            foreach (var item in choices.EnumerateArray())
            {
                if (ResponseParts.HasValue(item, "logprobs"))
                {
                    return false;
                }

                var index = item.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
                var choice = Choice(index);
                string? text;
                if (kind == CachedResponseKind.ChatCompletion)
                {
                    if (!item.TryGetProperty("delta", out var delta))
                    {
                        return false;
                    }

                    if (ResponseParts.HasValue(delta, "tool_calls") || ResponseParts.HasValue(delta, "function_call") || ResponseParts.HasValue(delta, "refusal"))
                    {
                        return false;
                    }

                    text = ResponseParts.Str(delta, "content");
                }
                else
                {
                    text = ResponseParts.Str(item, "text");
                }

                if (!string.IsNullOrEmpty(text))
                {
                    choice.Segments.Add(text);
                }

                if (ResponseParts.Str(item, "finish_reason") is { } finish)
                {
                    choice.FinishReason = finish;
                }
            }

            return true;
        }

        private bool ReadAnthropic(JsonElement root)
        {
            switch (ResponseParts.Str(root, "type"))
            {
                case "message_start" when root.TryGetProperty("message", out var message):
                    SetIdentity(message);
                    return true;
                case "content_block_start":
                    return root.TryGetProperty("content_block", out var block) && ResponseParts.Str(block, "type") == "text"
                        && AddSegment(root, ResponseParts.Str(block, "text"));
                case "content_block_delta":
                    return root.TryGetProperty("delta", out var delta) && ResponseParts.Str(delta, "type") == "text_delta"
                        && AddSegment(root, ResponseParts.Str(delta, "text"));
                case "message_delta" when root.TryGetProperty("delta", out var messageDelta):
                    var stop = ResponseParts.Str(messageDelta, "stop_reason");
                    foreach (var choice in _choices.Values)
                    {
                        choice.FinishReason = stop;
                    }

                    Parts.StopSequence = ResponseParts.Str(messageDelta, "stop_sequence");
                    return true;
                case "message_stop":
                    Done = true;
                    Parts.Choices = [.. _choices.Values.OrderBy(static c => c.Index)];
                    return true;
                case "ping" or "content_block_stop":
                    return true;
                default:
                    return false;
            }
        }

        private bool AddSegment(JsonElement root, string? text)
        {
            var index = root.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : 0;
            var choice = Choice(index);
            if (!string.IsNullOrEmpty(text))
            {
                choice.Segments.Add(text);
            }

            return true;
        }

        private CachedChoice Choice(int index)
        {
            if (!_choices.TryGetValue(index, out var choice))
            {
                choice = new CachedChoice { Index = index };
                _choices[index] = choice;
            }

            return choice;
        }

        private void SetIdentity(JsonElement root)
        {
            if (Parts.Id.Length == 0 && ResponseParts.Str(root, "id") is { Length: > 0 } id)
            {
                Parts.Id = id;
            }

            if (Parts.Model.Length == 0 && ResponseParts.Str(root, "model") is { Length: > 0 } model)
            {
                Parts.Model = model;
            }

            if (Parts.Created == 0 && root.TryGetProperty("created", out var created) && created.TryGetInt64(out var c))
            {
                Parts.Created = c;
            }

            Parts.SystemFingerprint ??= ResponseParts.Str(root, "system_fingerprint");
        }
    }
}
