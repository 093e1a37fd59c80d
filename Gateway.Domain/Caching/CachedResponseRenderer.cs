using System.Buffers;
using System.Text.Json;

namespace Gateway.Domain.Caching;

/// <summary>
/// Writes a cached answer in the provider's wire format: the JSON body (as the provider sent it,
/// or built from the text parts), or the server-sent events its stream would have had (OpenAI chat
/// and text completion chunks ending in <c>[DONE]</c>; Anthropic's message events), one text
/// segment per chunk as originally streamed.
/// </summary>
public static class CachedResponseRenderer
{
    public static byte[] Json(CachedResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Json is { } json)
        {
            return json;
        }

        var parts = response.Parts ?? throw new InvalidOperationException("A cached response has neither a body nor parts.");
        return Write(w =>
        {
            if (response.Kind == CachedResponseKind.AnthropicMessage)
            {
                w.WriteStartObject();
                w.WriteString("id", parts.Id);
                w.WriteString("type", "message");
                w.WriteString("role", "assistant");
                w.WriteString("model", parts.Model);
                w.WriteStartArray("content");
                foreach (var block in parts.Choices)
                {
                    w.WriteStartObject();
                    w.WriteString("type", "text");
                    w.WriteString("text", block.Text);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("stop_reason", parts.Choices.Count > 0 ? parts.Choices[0].FinishReason : "end_turn");
                w.WriteString("stop_sequence", parts.StopSequence);
                WriteAnthropicUsage(w, response.PromptTokens, response.CompletionTokens);
                w.WriteEndObject();
                return;
            }

            var chat = response.Kind == CachedResponseKind.ChatCompletion;
            WriteOpenAiHeader(w, parts, chat ? "chat.completion" : "text_completion");
            w.WriteStartArray("choices");
            foreach (var choice in parts.Choices)
            {
                w.WriteStartObject();
                w.WriteNumber("index", choice.Index);
                if (chat)
                {
                    w.WriteStartObject("message");
                    w.WriteString("role", "assistant");
                    w.WriteString("content", choice.Text);
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteString("text", choice.Text);
                }

                w.WriteNull("logprobs");
                w.WriteString("finish_reason", choice.FinishReason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            WriteOpenAiUsage(w, response);
            w.WriteEndObject();
        });
    }

    /// <summary>The events of the answer's stream; the OpenAI usage chunk only when <paramref name="includeUsage"/>.</summary>
    public static List<byte[]> Events(CachedResponse response, bool includeUsage)
    {
        ArgumentNullException.ThrowIfNull(response);
        var parts = response.Parts ?? throw new InvalidOperationException("The cached response has no text parts to stream.");
        return response.Kind == CachedResponseKind.AnthropicMessage ? AnthropicEvents(response, parts) : OpenAiEvents(response, parts, includeUsage);
    }

    private static List<byte[]> OpenAiEvents(CachedResponse response, CachedParts parts, bool includeUsage)
    {
        var chat = response.Kind == CachedResponseKind.ChatCompletion;
        var type = chat ? "chat.completion.chunk" : "text_completion";
        var events = new List<byte[]>();
        void Chunk(int index, string? role, string? text, string? finish) => events.Add(Data(w =>
        {
            WriteOpenAiHeader(w, parts, type);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", index);
            if (chat)
            {
                w.WriteStartObject("delta");
                if (role is not null)
                {
                    w.WriteString("role", role);
                }

                if (text is not null)
                {
                    w.WriteString("content", text);
                }

                w.WriteEndObject();
            }
            else
            {
                w.WriteString("text", text ?? string.Empty);
            }

            w.WriteNull("logprobs");
            w.WriteString("finish_reason", finish);
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
        }));

        foreach (var choice in parts.Choices)
        {
            if (chat)
            {
                Chunk(choice.Index, "assistant", string.Empty, null);
            }

            foreach (var segment in choice.Segments)
            {
                Chunk(choice.Index, null, segment, null);
            }

            Chunk(choice.Index, null, null, choice.FinishReason ?? "stop");
        }

        if (includeUsage)
        {
            events.Add(Data(w =>
            {
                WriteOpenAiHeader(w, parts, type);
                w.WriteStartArray("choices");
                w.WriteEndArray();
                WriteOpenAiUsage(w, response);
                w.WriteEndObject();
            }));
        }

        events.Add("data: [DONE]\n\n"u8.ToArray());
        return events;
    }

    private static List<byte[]> AnthropicEvents(CachedResponse response, CachedParts parts)
    {
        var events = new List<byte[]>
        {
            Named("message_start", w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "message_start");
                w.WriteStartObject("message");
                w.WriteString("id", parts.Id);
                w.WriteString("type", "message");
                w.WriteString("role", "assistant");
                w.WriteString("model", parts.Model);
                w.WriteStartArray("content");
                w.WriteEndArray();
                w.WriteNull("stop_reason");
                w.WriteNull("stop_sequence");
                WriteAnthropicUsage(w, response.PromptTokens, 1);
                w.WriteEndObject();
                w.WriteEndObject();
            }),
        };
        foreach (var block in parts.Choices)
        {
            events.Add(Named("content_block_start", w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "content_block_start");
                w.WriteNumber("index", block.Index);
                w.WriteStartObject("content_block");
                w.WriteString("type", "text");
                w.WriteString("text", string.Empty);
                w.WriteEndObject();
                w.WriteEndObject();
            }));
            foreach (var segment in block.Segments)
            {
                events.Add(Named("content_block_delta", w =>
                {
                    w.WriteStartObject();
                    w.WriteString("type", "content_block_delta");
                    w.WriteNumber("index", block.Index);
                    w.WriteStartObject("delta");
                    w.WriteString("type", "text_delta");
                    w.WriteString("text", segment);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }));
            }

            events.Add(Named("content_block_stop", w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "content_block_stop");
                w.WriteNumber("index", block.Index);
                w.WriteEndObject();
            }));
        }

        events.Add(Named("message_delta", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", parts.Choices.Count > 0 ? parts.Choices[0].FinishReason : "end_turn");
            w.WriteString("stop_sequence", parts.StopSequence);
            w.WriteEndObject();
            w.WriteStartObject("usage");
            w.WriteNumber("output_tokens", response.CompletionTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        }));
        events.Add(Named("message_stop", static w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_stop");
            w.WriteEndObject();
        }));
        return events;
    }

    private static void WriteOpenAiHeader(Utf8JsonWriter w, CachedParts parts, string type)
    {
        w.WriteStartObject();
        w.WriteString("id", parts.Id);
        w.WriteString("object", type);
        w.WriteNumber("created", parts.Created);
        w.WriteString("model", parts.Model);
        if (parts.SystemFingerprint is { } fingerprint)
        {
            w.WriteString("system_fingerprint", fingerprint);
        }
    }

    private static void WriteOpenAiUsage(Utf8JsonWriter w, CachedResponse response)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", response.PromptTokens);
        w.WriteNumber("completion_tokens", response.CompletionTokens);
        w.WriteNumber("total_tokens", response.PromptTokens + response.CompletionTokens);
        w.WriteEndObject();
    }

    private static void WriteAnthropicUsage(Utf8JsonWriter w, int input, int output)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", input);
        w.WriteNumber("output_tokens", output);
        w.WriteEndObject();
    }

    private static byte[] Data(Action<Utf8JsonWriter> write) => Event(null, write);

    private static byte[] Named(string name, Action<Utf8JsonWriter> write) => Event(name, write);

    private static byte[] Event(string? name, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        if (name is not null)
        {
            buffer.Write("event: "u8);
            buffer.Write(System.Text.Encoding.UTF8.GetBytes(name));
            buffer.Write("\n"u8);
        }

        buffer.Write("data: "u8);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
