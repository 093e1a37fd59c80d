using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Functions.Translation;

namespace Gateway.Functions.Tests.Translation;

/// <summary>Anthropic's event stream → OpenAI chunks, event by event; the pieces reassemble exactly.</summary>
public sealed class AnthropicStreamTranslatorTests
{
    private const long Created = 1_764_000_000;

    private static readonly string[] TextAndTools =
    [
        """event: message_start\ndata: {"type":"message_start","message":{"id":"msg_9","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022","content":[],"stop_reason":null,"usage":{"input_tokens":25,"output_tokens":1,"cache_read_input_tokens":7,"cache_creation_input_tokens":3}}}\n\n""",
        """event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n""",
        """event: ping\ndata: {"type": "ping"}\n\n""",
        """event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Héllo, "}}\n\n""",
        """event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"wörld \"quoted\"\n"}}\n\n""",
        """event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\n""",
        """event: content_block_start\ndata: {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_A","name":"get_weather","input":{}}}\n\n""",
        """event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":""}}\n\n""",
        """event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"city\": \"Pa"}}\n\n""",
        """event: content_block_delta\ndata: {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"ris\"}"}}\n\n""",
        """event: content_block_stop\ndata: {"type":"content_block_stop","index":1}\n\n""",
        """event: content_block_start\ndata: {"type":"content_block_start","index":2,"content_block":{"type":"tool_use","id":"toolu_B","name":"get_time","input":{}}}\n\n""",
        """event: content_block_delta\ndata: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"{\"tz\":"}}\n\n""",
        """event: content_block_delta\ndata: {"type":"content_block_delta","index":2,"delta":{"type":"input_json_delta","partial_json":"\"CET\"}"}}\n\n""",
        """event: content_block_stop\ndata: {"type":"content_block_stop","index":2}\n\n""",
        """event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":42}}\n\n""",
        """event: message_stop\ndata: {"type":"message_stop"}\n\n""",
    ];

    [Fact]
    public void Translate_TextAndParallelToolCalls_ReassembleExactly()
    {
        var (chunks, done, translator) = Run(TextAndTools, jsonMode: false, includeUsage: true);

        Assert.True(done);
        Assert.True(translator.Finished);
        Assert.All(chunks, c => Assert.Equal("msg_9", (string?)c["id"]));
        Assert.All(chunks, c => Assert.Equal("claude-3-5-haiku-20241022", (string?)c["model"]));
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", (string?)c["object"]));
        Assert.Equal("assistant", (string?)chunks[0]["choices"]![0]!["delta"]!["role"]);

        var content = new StringBuilder();
        var arguments = new Dictionary<int, StringBuilder>();
        var ids = new Dictionary<int, string>();
        var names = new Dictionary<int, string>();
        string? finish = null;
        foreach (var chunk in chunks)
        {
            var choices = chunk["choices"]!.AsArray();
            if (choices.Count == 0)
            {
                continue;
            }

            var delta = choices[0]!["delta"]!;
            content.Append((string?)delta["content"]);
            finish = (string?)choices[0]!["finish_reason"] ?? finish;
            foreach (var call in delta["tool_calls"]?.AsArray() ?? [])
            {
                var index = (int)call!["index"]!;
                if ((string?)call["id"] is { } id)
                {
                    ids[index] = id;
                    names[index] = (string)call["function"]!["name"]!;
                }

                arguments.TryAdd(index, new StringBuilder());
                arguments[index].Append((string?)call["function"]!["arguments"]);
            }
        }

        Assert.Equal("Héllo, wörld \"quoted\"\n", content.ToString());
        Assert.Equal("tool_calls", finish);
        Assert.Equal(["toolu_A", "toolu_B"], [ids[0], ids[1]]);
        Assert.Equal(["get_weather", "get_time"], [names[0], names[1]]);
        Assert.Equal("{\"city\": \"Paris\"}", arguments[0].ToString());
        Assert.Equal("{\"tz\":\"CET\"}", arguments[1].ToString());

        var usageChunk = chunks[^1];
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"prompt_tokens":35,"completion_tokens":42,"total_tokens":77,"prompt_tokens_details":{"cached_tokens":7},"cache_read_input_tokens":7,"cache_creation_input_tokens":3}"""),
            usageChunk["usage"]));
    }

    [Fact]
    public void Translate_WithoutIncludeUsage_NoUsageChunk()
    {
        var (chunks, done, _) = Run(TextAndTools, jsonMode: false, includeUsage: false);

        Assert.True(done);
        Assert.DoesNotContain(chunks, c => c["choices"]!.AsArray().Count == 0);
        Assert.All(chunks, c => Assert.Null(c["usage"]));
    }

    [Fact]
    public void Translate_JsonMode_ToolArgumentsStreamAsContent()
    {
        string[] events =
        [
            """data: {"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":2,"output_tokens":1}}}\n\n""",
            """data: {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"t","name":"json_response","input":{}}}\n\n""",
            """data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"ok\":"}}\n\n""",
            """data: {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"true}"}}\n\n""",
            """data: {"type":"message_delta","delta":{"stop_reason":"tool_use"},"usage":{"output_tokens":5}}\n\n""",
            """data: {"type":"message_stop"}\n\n""",
        ];

        var (chunks, _, _) = Run(events, jsonMode: true, includeUsage: false);

        var content = string.Concat(chunks.Select(c => (string?)c["choices"]![0]!["delta"]!["content"]));
        Assert.Equal("{\"ok\":true}", content);
        Assert.DoesNotContain(chunks, c => c["choices"]![0]!["delta"]!["tool_calls"] is not null);
        Assert.Equal("stop", (string?)chunks[^1]["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public void Translate_ErrorEvent_BecomesOpenAiErrorThenDone()
    {
        string[] events =
        [
            """event: message_start\ndata: {"type":"message_start","message":{"id":"m","model":"c","usage":{"input_tokens":2,"output_tokens":1}}}\n\n""",
            """event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n""",
        ];

        var (chunks, done, translator) = Run(events, jsonMode: false, includeUsage: true);

        Assert.True(done);
        Assert.True(translator.Finished);
        Assert.Equal("Overloaded", (string?)chunks[^1]["error"]!["message"]);
        Assert.Equal("overloaded_error", (string?)chunks[^1]["error"]!["type"]);
    }

    [Fact]
    public void Translate_StreamCutBeforeMessageStop_NoDone()
    {
        var (_, done, translator) = Run(TextAndTools[..5], jsonMode: false, includeUsage: true);

        Assert.False(done);
        Assert.False(translator.Finished);
        Assert.Equal(25, translator.Usage.InputTokens);
    }

    private static (List<JsonNode> Chunks, bool Done, AnthropicStreamTranslator Translator) Run(string[] events, bool jsonMode, bool includeUsage)
    {
        var translator = new AnthropicStreamTranslator(Created, jsonMode, includeUsage);
        var output = new ArrayBufferWriter<byte>();
        foreach (var evt in events)
        {
            // The events are written with escaped line breaks; only the SSE framing ones are real.
            var framed = evt.Replace("\\ndata: ", "\ndata: ", StringComparison.Ordinal);
            framed = framed.EndsWith("\\n\\n", StringComparison.Ordinal) ? framed[..^4] + "\n\n" : framed;
            translator.Translate(Encoding.UTF8.GetBytes(framed), output);
        }

        var chunks = new List<JsonNode>();
        var done = false;
        foreach (var sse in Encoding.UTF8.GetString(output.WrittenSpan).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.StartsWith("data: ", sse, StringComparison.Ordinal);
            var data = sse["data: ".Length..];
            Assert.False(done, "nothing after [DONE]");
            if (data == "[DONE]")
            {
                done = true;
                continue;
            }

            chunks.Add(JsonNode.Parse(data)!);
        }

        return (chunks, done, translator);
    }
}
