using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeLlm;

public sealed partial class FakeLlmServer
{
    /// <summary>Model ids Anthropic's <c>GET /v1/models</c> lists.</summary>
    public static IReadOnlyList<string> AnthropicModelIds { get; } =
        ["claude-sonnet-4-20250514", "claude-3-5-haiku-20241022"];

    /// <summary>Writes Anthropic's 400 and returns null when a required field is missing or the body isn't JSON.</summary>
    private static async Task<JsonObject?> ReadAnthropicRequestAsync(FakeLlmExchange x, params string[] required)
    {
        if (x.Json is not { } json)
        {
            await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status400BadRequest, "There was an error parsing the body of your request.");
            return null;
        }

        foreach (var property in required)
        {
            if (json[property] is null)
            {
                await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status400BadRequest, $"{property}: Field required");
                return null;
            }
        }

        return json;
    }

    private static int AnthropicPromptWords(JsonObject json)
        => FakeLlmTokens.CountContentWords(json["system"]) + FakeLlmTokens.CountMessageWords(json["messages"]);

    private static async Task HandleMessagesAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        if (await ReadAnthropicRequestAsync(x, "model", "max_tokens", "messages") is not { } json)
        {
            return;
        }

        if (ToolsToCall(json) is { Count: > 0 } tools)
        {
            await WriteAnthropicToolUseAsync(x, json, tools);
            return;
        }

        var model = FakeJson.String(json["model"]) ?? string.Empty;
        var text = x.Settings.ResponseText;
        var chunks = FakeLlmTokens.SplitIntoChunks(text);
        var inputTokens = x.PromptTokens(AnthropicPromptWords(json));
        var outputTokens = chunks.Count;
        var id = x.Id("msg_");

        if (!FakeJson.Bool(json["stream"]))
        {
            var body = FakeJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("type", "message");
                w.WriteString("role", "assistant");
                w.WriteString("model", model);
                w.WriteStartArray("content");
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", text);
                w.WriteEndObject();
                w.WriteEndArray();
                w.WriteString("stop_reason", "end_turn");
                w.WriteNull("stop_sequence");
                WriteAnthropicUsage(w, inputTokens, outputTokens, includeInput: true);
                w.WriteEndObject();
            });
            await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, body);
            return;
        }

        // AsProviderDoes: input tokens (and output_tokens 1) up front, final output count in message_delta.
        var mode = x.Settings.StreamUsage;
        var startInput = mode == FakeLlmStreamUsage.AsProviderDoes ? inputTokens : 0;
        var startOutput = mode == FakeLlmStreamUsage.AsProviderDoes ? 1 : 0;
        var finalOutput = mode == FakeLlmStreamUsage.None ? 0 : outputTokens;

        var sse = await SseWriter.StartAsync(x);
        await sse.WriteEventAsync("message_start", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_start");
            w.WriteStartObject("message");
            w.WriteString("id", id);
            w.WriteString("type", "message");
            w.WriteString("role", "assistant");
            w.WriteString("model", model);
            w.WriteStartArray("content");
            w.WriteEndArray();
            w.WriteNull("stop_reason");
            w.WriteNull("stop_sequence");
            WriteAnthropicUsage(w, startInput, startOutput, includeInput: true);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        await sse.WriteEventAsync("content_block_start", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "content_block_start");
            w.WriteNumber("index", 0);
            w.WriteStartObject("content_block");
            w.WriteString("type", "text");
            w.WriteString("text", string.Empty);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        await sse.WriteEventAsync("ping", WritePing);
        foreach (var chunk in chunks)
        {
            await sse.WriteEventAsync("content_block_delta", w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "content_block_delta");
                w.WriteNumber("index", 0);
                w.WriteStartObject("delta");
                w.WriteString("type", "text_delta");
                w.WriteString("text", chunk);
                w.WriteEndObject();
                w.WriteEndObject();
            });
        }

        await sse.WriteEventAsync("content_block_stop", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "content_block_stop");
            w.WriteNumber("index", 0);
            w.WriteEndObject();
        });
        await sse.WriteEventAsync("message_delta", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", "end_turn");
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            WriteAnthropicUsage(w, inputTokens, finalOutput, includeInput: mode == FakeLlmStreamUsage.FinalEventOnly);
            w.WriteEndObject();
        });
        await sse.WriteEventAsync("message_stop", static w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_stop");
            w.WriteEndObject();
        });
        await sse.CompleteAsync();
    }

    private static void WritePing(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("type", "ping");
        w.WriteEndObject();
    }

    private static void WriteAnthropicUsage(Utf8JsonWriter w, int inputTokens, int outputTokens, bool includeInput)
    {
        w.WriteStartObject("usage");
        if (includeInput)
        {
            w.WriteNumber("input_tokens", inputTokens);
            w.WriteNumber("cache_creation_input_tokens", 0);
            w.WriteNumber("cache_read_input_tokens", 0);
        }

        w.WriteNumber("output_tokens", outputTokens);
        w.WriteEndObject();
    }

    private static async Task HandleCountTokensAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        if (await ReadAnthropicRequestAsync(x, "model", "messages") is not { } json)
        {
            return;
        }

        var inputTokens = x.PromptTokens(AnthropicPromptWords(json));
        await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, FakeJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("input_tokens", inputTokens);
            w.WriteEndObject();
        }));
    }

    /// <summary>
    /// The legacy Text Completions API: no usage in the response; streamed as <c>event: completion</c>
    /// events (one per word, a ping after the first), closed by one with <c>stop_reason</c>.
    /// </summary>
    private static async Task HandleAnthropicCompleteAsync(HttpContext context)
    {
        var x = ExchangeOf(context);
        if (await ReadAnthropicRequestAsync(x, "model", "prompt", "max_tokens_to_sample") is not { } json)
        {
            return;
        }

        var model = FakeJson.String(json["model"]) ?? string.Empty;
        var id = x.Id("compl_");
        if (!FakeJson.Bool(json["stream"]))
        {
            await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, FakeJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "completion");
                w.WriteString("id", id);
                w.WriteString("completion", x.Settings.ResponseText);
                w.WriteString("stop_reason", "stop_sequence");
                w.WriteString("stop", "\n\nHuman:");
                w.WriteString("model", model);
                w.WriteString("log_id", id);
                w.WriteEndObject();
            }));
            return;
        }

        var sse = await SseWriter.StartAsync(x);
        var first = true;
        foreach (var chunk in FakeLlmTokens.SplitIntoChunks(x.Settings.ResponseText))
        {
            await sse.WriteEventAsync("completion", w => WriteLegacyCompletion(w, id, model, chunk, stopReason: null));
            if (first)
            {
                await sse.WriteEventAsync("ping", WritePing);
                first = false;
            }
        }

        await sse.WriteEventAsync("completion", w => WriteLegacyCompletion(w, id, model, string.Empty, "stop_sequence"));
        await sse.CompleteAsync();
    }

    private static void WriteLegacyCompletion(Utf8JsonWriter w, string id, string model, string completion, string? stopReason)
    {
        w.WriteStartObject();
        w.WriteString("type", "completion");
        w.WriteString("id", id);
        w.WriteString("completion", completion);
        w.WriteString("stop_reason", stopReason);
        w.WriteString("model", model);
        w.WriteEndObject();
    }

    private static Task HandleAnthropicModelsAsync(FakeLlmExchange x, string? id)
    {
        if (id is null)
        {
            return FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, FakeJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartArray("data");
                foreach (var model in AnthropicModelIds)
                {
                    WriteAnthropicModel(w, model);
                }

                w.WriteEndArray();
                w.WriteBoolean("has_more", false);
                w.WriteString("first_id", AnthropicModelIds[0]);
                w.WriteString("last_id", AnthropicModelIds[^1]);
                w.WriteEndObject();
            }));
        }

        return AnthropicModelIds.Contains(id)
            ? FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, FakeJson.Write(w => WriteAnthropicModel(w, id)))
            : FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status404NotFound, $"model: {id}");
    }

    private static void WriteAnthropicModel(Utf8JsonWriter w, string id)
    {
        w.WriteStartObject();
        w.WriteString("type", "model");
        w.WriteString("id", id);
        w.WriteString("display_name", id);
        w.WriteString("created_at", "2025-01-01T00:00:00Z");
        w.WriteEndObject();
    }
}
