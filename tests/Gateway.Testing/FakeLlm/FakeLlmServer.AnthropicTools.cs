using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeLlm;

/// <summary>
/// Anthropic tool use: a Messages request that offers <c>tools</c> and whose last message is the
/// user's own turn (not <c>tool_result</c>s) is answered with <c>tool_use</c> blocks, as Claude does:
/// the tool <c>tool_choice</c> forces, else every offered tool (parallel calls) unless
/// <c>disable_parallel_tool_use</c>, else the first. The input is <see cref="AnthropicToolInput"/>
/// of the tool's schema; streamed as <c>input_json_delta</c> pieces. A request ending with tool
/// results gets the normal text answer.
/// </summary>
public sealed partial class FakeLlmServer
{
    /// <summary>
    /// The input the fake passes to <paramref name="toolName"/>: each string property of its schema
    /// set to <c>"{toolName}:{property}"</c>, or <c>{"answer": "..."}</c> (the response text) when the schema has no properties.
    /// </summary>
    public static JsonObject AnthropicToolInput(string toolName, JsonObject? inputSchema, string responseText)
    {
        var input = new JsonObject();
        if (inputSchema?["properties"] is JsonObject { Count: > 0 } properties)
        {
            foreach (var (name, schema) in properties)
            {
                input[name] = FakeJson.String(schema?["type"]) switch
                {
                    "integer" or "number" => 42,
                    "boolean" => true,
                    _ => $"{toolName}:{name}",
                };
            }
        }
        else
        {
            input["answer"] = responseText;
        }

        return input;
    }

    private static List<JsonObject>? ToolsToCall(JsonObject request)
    {
        if (request["tools"] is not JsonArray { Count: > 0 } tools || request["messages"] is not JsonArray { Count: > 0 } messages)
        {
            return null;
        }

        var last = messages[^1] as JsonObject;
        if (FakeJson.String(last?["role"]) != "user" || (last!["content"] is JsonArray parts && parts.Any(p => FakeJson.String(p?["type"]) == "tool_result")))
        {
            return null;
        }

        var choice = request["tool_choice"] as JsonObject;
        var choiceType = FakeJson.String(choice?["type"]);
        if (choiceType == "none")
        {
            return null;
        }

        var offered = tools.OfType<JsonObject>().ToList();
        if (choiceType == "tool")
        {
            return offered.Where(t => FakeJson.String(t["name"]) == FakeJson.String(choice!["name"])).Take(1).ToList();
        }

        return FakeJson.Bool(choice?["disable_parallel_tool_use"]) ? offered.Take(1).ToList() : offered;
    }

    private static async Task WriteAnthropicToolUseAsync(FakeLlmExchange x, JsonObject request, List<JsonObject> tools)
    {
        var model = FakeJson.String(request["model"]) ?? string.Empty;
        var id = x.Id("msg_");
        var inputTokens = x.PromptTokens(AnthropicPromptWords(request));
        var calls = tools.Select((t, i) => (Id: $"toolu_fake{x.Request.Sequence:D6}_{i}", Name: FakeJson.String(t["name"]) ?? string.Empty,
            Input: AnthropicToolInput(FakeJson.String(t["name"]) ?? string.Empty, t["input_schema"] as JsonObject, x.Settings.ResponseText).ToJsonString())).ToList();
        var outputTokens = calls.Sum(c => FakeLlmTokens.CountWords(c.Input.Replace('"', ' ').Replace(',', ' ')) + 1);

        if (!FakeJson.Bool(request["stream"]))
        {
            await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, FakeJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("type", "message");
                w.WriteString("role", "assistant");
                w.WriteString("model", model);
                w.WriteStartArray("content");
                foreach (var call in calls)
                {
                    w.WriteStartObject();
                    w.WriteString("type", "tool_use");
                    w.WriteString("id", call.Id);
                    w.WriteString("name", call.Name);
                    w.WritePropertyName("input");
                    w.WriteRawValue(call.Input);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("stop_reason", "tool_use");
                w.WriteNull("stop_sequence");
                WriteAnthropicUsage(w, inputTokens, outputTokens, includeInput: true);
                w.WriteEndObject();
            }));
            return;
        }

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
            WriteAnthropicUsage(w, inputTokens, 1, includeInput: true);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        for (var index = 0; index < calls.Count; index++)
        {
            var call = calls[index];
            var blockIndex = index;
            await sse.WriteEventAsync("content_block_start", w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "content_block_start");
                w.WriteNumber("index", blockIndex);
                w.WriteStartObject("content_block");
                w.WriteString("type", "tool_use");
                w.WriteString("id", call.Id);
                w.WriteString("name", call.Name);
                w.WriteStartObject("input");
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            });

            // Claude streams the input as JSON text in arbitrary pieces; cut it in thirds.
            var third = Math.Max(1, call.Input.Length / 3);
            for (var start = 0; start < call.Input.Length; start += third)
            {
                var piece = call.Input.Substring(start, Math.Min(third, call.Input.Length - start));
                await sse.WriteEventAsync("content_block_delta", w =>
                {
                    w.WriteStartObject();
                    w.WriteString("type", "content_block_delta");
                    w.WriteNumber("index", blockIndex);
                    w.WriteStartObject("delta");
                    w.WriteString("type", "input_json_delta");
                    w.WriteString("partial_json", piece);
                    w.WriteEndObject();
                    w.WriteEndObject();
                });
            }

            await sse.WriteEventAsync("content_block_stop", w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "content_block_stop");
                w.WriteNumber("index", blockIndex);
                w.WriteEndObject();
            });
        }

        await sse.WriteEventAsync("message_delta", w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", "tool_use");
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            WriteAnthropicUsage(w, inputTokens, outputTokens, includeInput: false);
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
}
