using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeLlm;

/// <summary>
/// OpenAI tool calling and JSON mode on the fake's OpenAI and Azure chat endpoints. A request that
/// offers <c>tools</c> and whose last message is the user's (not a <c>tool</c> result) is answered with
/// <c>message.tool_calls</c> and <c>finish_reason: "tool_calls"</c>, as OpenAI does: the function
/// <c>tool_choice</c> names, else every offered function unless <c>parallel_tool_calls</c> is false,
/// else the first; <c>tool_choice: "none"</c> answers text. Arguments are <see cref="AnthropicToolInput"/>
/// of the function's parameters as a JSON string; streamed as <c>delta.tool_calls</c> pieces (the
/// first with <c>id</c>, <c>type</c> and <c>function.name</c>). With <c>response_format</c>
/// <c>json_object</c> the content is <c>{"answer": response text}</c>; with <c>json_schema</c> it is
/// <see cref="AnthropicToolInput"/> of the schema.
/// </summary>
public sealed partial class FakeLlmServer
{
    /// <summary>The assistant content for <paramref name="request"/>: the response text, or JSON under <c>response_format</c>.</summary>
    private static string OpenAiContent(JsonObject request, string responseText)
    {
        var format = request["response_format"] as JsonObject;
        return FakeJson.String(format?["type"]) switch
        {
            "json_object" => new JsonObject { ["answer"] = responseText }.ToJsonString(),
            "json_schema" => AnthropicToolInput(
                FakeJson.String(format!["json_schema"]?["name"]) ?? "json_schema",
                format["json_schema"]?["schema"] as JsonObject,
                responseText).ToJsonString(),
            _ => responseText,
        };
    }

    private static List<JsonObject>? OpenAiFunctionsToCall(JsonObject request)
    {
        if (request["tools"] is not JsonArray { Count: > 0 } tools || request["messages"] is not JsonArray { Count: > 0 } messages
            || FakeJson.String(messages[^1]?["role"]) != "user")
        {
            return null;
        }

        var choice = request["tool_choice"];
        if (FakeJson.String(choice) == "none")
        {
            return null;
        }

        var offered = tools.Select(t => t?["function"]).OfType<JsonObject>().ToList();
        if (FakeJson.String(choice?["function"]?["name"]) is { } forced)
        {
            return offered.Where(f => FakeJson.String(f["name"]) == forced).Take(1).ToList();
        }

        return request["parallel_tool_calls"] is JsonValue parallel && !parallel.GetValue<bool>() ? offered.Take(1).ToList() : offered;
    }

    private static async Task WriteOpenAiToolCallsAsync(FakeLlmExchange x, JsonObject request, List<JsonObject> functions)
    {
        var model = ModelOf(x, request);
        var id = x.Id("chatcmpl-");
        var promptTokens = x.PromptTokens(FakeLlmTokens.CountMessageWords(request["messages"]));
        var calls = functions.Select((f, i) => (Id: $"call_fake{x.Request.Sequence:D6}_{i}", Name: FakeJson.String(f["name"]) ?? string.Empty,
            Arguments: AnthropicToolInput(FakeJson.String(f["name"]) ?? string.Empty, f["parameters"] as JsonObject, x.Settings.ResponseText).ToJsonString())).ToList();
        var completionTokens = calls.Sum(c => FakeLlmTokens.CountWords(c.Arguments.Replace('"', ' ').Replace(',', ' ')) + 1);

        if (!FakeJson.Bool(request["stream"]))
        {
            await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status200OK, FakeJson.Write(w =>
            {
                WriteChunkHeader(w, id, "chat.completion", x.Created, model);
                w.WriteStartArray("choices");
                w.WriteStartObject();
                w.WriteNumber("index", 0);
                w.WriteStartObject("message");
                w.WriteString("role", "assistant");
                w.WriteNull("content");
                w.WriteNull("refusal");
                w.WriteStartArray("tool_calls");
                foreach (var call in calls)
                {
                    WriteToolCall(w, index: null, call.Id, call.Name, call.Arguments);
                }

                w.WriteEndArray();
                w.WriteEndObject();
                w.WriteNull("logprobs");
                w.WriteString("finish_reason", "tool_calls");
                w.WriteEndObject();
                w.WriteEndArray();
                FakeJson.WriteOpenAiUsage(w, promptTokens, completionTokens, withDetails: true);
                w.WriteEndObject();
            }));
            return;
        }

        var usage = StreamUsagePlan.For(x, request);
        var sse = await SseWriter.StartAsync(x);
        for (var index = 0; index < calls.Count; index++)
        {
            var (callId, name, arguments) = calls[index];
            var callIndex = index;
            // The first chunk names the role, as OpenAI streams a tool-calling answer.
            await sse.WriteDataAsync(w => WriteChatChunk(
                w, x, id, model, usage, role: callIndex == 0 ? "assistant" : null, content: null, finishReason: null, w2 => WriteToolCall(w2, callIndex, callId, name, string.Empty)));

            // OpenAI streams the arguments as JSON text in arbitrary pieces; cut them in thirds.
            var third = Math.Max(1, arguments.Length / 3);
            for (var start = 0; start < arguments.Length; start += third)
            {
                var piece = arguments.Substring(start, Math.Min(third, arguments.Length - start));
                await sse.WriteDataAsync(w => WriteChatChunk(w, x, id, model, usage, role: null, content: null, finishReason: null, w2 => WriteToolCall(w2, callIndex, null, null, piece)));
            }
        }

        await FinishChatStreamAsync(sse, x, id, model, usage, "tool_calls", promptTokens, completionTokens);
    }

    /// <summary>Ends a chat stream: the chunk with <paramref name="finishReason"/>, the usage chunk when asked for, <c>[DONE]</c>.</summary>
    private static async Task FinishChatStreamAsync(
        SseWriter sse, FakeLlmExchange x, string id, string model, StreamUsagePlan usage, string finishReason, int promptTokens, int completionTokens)
    {
        await sse.WriteDataAsync(w => WriteChatChunk(w, x, id, model, usage, role: null, content: null, finishReason: finishReason));
        if (usage.FinalChunk)
        {
            await sse.WriteDataAsync(w =>
            {
                WriteChunkHeader(w, id, "chat.completion.chunk", x.Created, model);
                w.WriteStartArray("choices");
                w.WriteEndArray();
                FakeJson.WriteOpenAiUsage(w, promptTokens, completionTokens, withDetails: true);
                w.WriteEndObject();
            });
        }

        await sse.WriteDoneAsync();
        await sse.CompleteAsync();
    }

    /// <summary>One <c>tool_calls</c> item: whole (no index) in a completion, or a streamed delta (index; id, type and name only in the first).</summary>
    private static void WriteToolCall(Utf8JsonWriter w, int? index, string? id, string? name, string arguments)
    {
        w.WriteStartObject();
        if (index is { } i)
        {
            w.WriteNumber("index", i);
        }

        if (id is not null)
        {
            w.WriteString("id", id);
            w.WriteString("type", "function");
        }

        w.WriteStartObject("function");
        if (name is not null)
        {
            w.WriteString("name", name);
        }

        w.WriteString("arguments", arguments);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
