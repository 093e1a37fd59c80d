using System.Text.Json;

namespace Gateway.Domain.Caching;

/// <summary>Reads a non-streamed answer: kept whole, plus its text parts when it is text only (so a streamed request can be answered too).</summary>
internal static class ResponseParts
{
    public static CachedResponse? FromJson(CachedResponseKind kind, ReadOnlySpan<byte> body)
    {
        if (CanonicalRequest.Parse(body) is not { } document)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("error", out _))
            {
                return null;
            }

            return new CachedResponse
            {
                Kind = kind,
                Json = body.ToArray(),
                Parts = kind == CachedResponseKind.Embeddings ? null : ReadParts(kind, root),
            };
        }
    }

    private static CachedParts? ReadParts(CachedResponseKind kind, JsonElement root)
    {
        var parts = new CachedParts
        {
            Id = Str(root, "id") ?? string.Empty,
            Model = Str(root, "model") ?? string.Empty,
            Created = root.TryGetProperty("created", out var created) && created.TryGetInt64(out var c) ? c : 0,
            SystemFingerprint = Str(root, "system_fingerprint"),
        };
        if (kind == CachedResponseKind.AnthropicMessage)
        {
            if (!root.TryGetProperty("content", out var content) || content.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var index = 0;
            foreach (var block in content.EnumerateArray())
            {
                if (Str(block, "type") != "text" || Str(block, "text") is not { } text)
                {
                    return null;
                }

                parts.Choices.Add(new CachedChoice { Index = index++, Segments = [text], FinishReason = Str(root, "stop_reason") });
            }

            parts.StopSequence = Str(root, "stop_sequence");
            return parts;
        }

        if (!root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        foreach (var choice in choices.EnumerateArray())
        {
            if (HasValue(choice, "logprobs"))
            {
                return null;
            }

            string? text;
            if (kind == CachedResponseKind.ChatCompletion)
            {
                if (!choice.TryGetProperty("message", out var message) || HasValue(message, "tool_calls") || HasValue(message, "function_call") || HasValue(message, "refusal"))
                {
                    return null;
                }

                text = Str(message, "content");
            }
            else
            {
                text = Str(choice, "text");
            }

            if (text is null)
            {
                return null;
            }

            parts.Choices.Add(new CachedChoice
            {
                Index = choice.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : parts.Choices.Count,
                Segments = [text],
                FinishReason = Str(choice, "finish_reason"),
            });
        }

        return parts;
    }

    internal static string? Str(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    internal static bool HasValue(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined)
            && !(value.ValueKind == JsonValueKind.Array && value.GetArrayLength() == 0);
}
