using System.Text;
using System.Text.Json.Nodes;
using Gateway.Functions.Translation;

namespace Gateway.Functions.Tests.Translation;

/// <summary>Anthropic → OpenAI for whole responses and errors.</summary>
public sealed class AnthropicResponseTranslatorTests
{
    private const long Created = 1_764_000_000;

    [Fact]
    public void Translate_TextAndToolCalls_BecomeMessageAndToolCalls()
    {
        var anthropic = """
            {"id":"msg_01","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
             "content":[{"type":"text","text":"Checking "},{"type":"text","text":"both."},
                        {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}},
                        {"type":"tool_use","id":"toolu_2","name":"get_weather","input":{"city":"Rome","unit":"c"}}],
             "stop_reason":"tool_use","stop_sequence":null,
             "usage":{"input_tokens":20,"output_tokens":30,"cache_read_input_tokens":100,"cache_creation_input_tokens":5}}
            """u8;

        var openAi = JsonNode.Parse(AnthropicResponseTranslator.Translate(anthropic, Created, jsonMode: false)!)!;

        Assert.Equal("msg_01", (string?)openAi["id"]);
        Assert.Equal("chat.completion", (string?)openAi["object"]);
        Assert.Equal(Created, (long)openAi["created"]!);
        Assert.Equal("claude-3-5-haiku-20241022", (string?)openAi["model"]);
        var choice = openAi["choices"]![0]!;
        Assert.Equal("tool_calls", (string?)choice["finish_reason"]);
        Assert.Equal("assistant", (string?)choice["message"]!["role"]);
        Assert.Equal("Checking both.", (string?)choice["message"]!["content"]);
        var calls = choice["message"]!["tool_calls"]!.AsArray();
        Assert.Equal(2, calls.Count);
        Assert.Equal("toolu_2", (string?)calls[1]!["id"]);
        Assert.Equal("function", (string?)calls[1]!["type"]);
        Assert.Equal("get_weather", (string?)calls[1]!["function"]!["name"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"city":"Rome","unit":"c"}"""), JsonNode.Parse((string)calls[1]!["function"]!["arguments"]!)));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse("""{"prompt_tokens":125,"completion_tokens":30,"total_tokens":155,"prompt_tokens_details":{"cached_tokens":100},"cache_read_input_tokens":100,"cache_creation_input_tokens":5}"""),
            openAi["usage"]));
    }

    [Theory]
    [InlineData("end_turn", "stop")]
    [InlineData("stop_sequence", "stop")]
    [InlineData("max_tokens", "length")]
    [InlineData("tool_use", "tool_calls")]
    [InlineData("refusal", "content_filter")]
    [InlineData("pause_turn", "stop")]
    [InlineData("model_context_window_exceeded", "length")]
    public void Translate_StopReason_MapsToFinishReason(string stopReason, string finishReason)
    {
        var anthropic = Encoding.UTF8.GetBytes($$$"""{"id":"m","model":"c","content":[{"type":"text","text":"x"}],"stop_reason":"{{{stopReason}}}","usage":{"input_tokens":1,"output_tokens":1}}""");

        var openAi = JsonNode.Parse(AnthropicResponseTranslator.Translate(anthropic, Created, jsonMode: false)!)!;

        Assert.Equal(finishReason, (string?)openAi["choices"]![0]!["finish_reason"]);
    }

    [Fact]
    public void Translate_JsonMode_ToolInputIsTheContent()
    {
        var anthropic = """
            {"id":"m","model":"c","content":[{"type":"tool_use","id":"t","name":"json_response","input":{"name":"Ada","age":36}}],
             "stop_reason":"tool_use","usage":{"input_tokens":3,"output_tokens":4}}
            """u8;

        var openAi = JsonNode.Parse(AnthropicResponseTranslator.Translate(anthropic, Created, jsonMode: true)!)!;

        var choice = openAi["choices"]![0]!;
        Assert.Equal("stop", (string?)choice["finish_reason"]);
        Assert.Null(choice["message"]!["tool_calls"]);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"name":"Ada","age":36}"""), JsonNode.Parse((string)choice["message"]!["content"]!)));
    }

    [Fact]
    public void Translate_OnlyToolCalls_ContentIsNull()
    {
        var anthropic = """{"id":"m","model":"c","content":[{"type":"tool_use","id":"t","name":"f","input":{}}],"stop_reason":"tool_use","usage":{"input_tokens":1,"output_tokens":1}}"""u8;

        var openAi = JsonNode.Parse(AnthropicResponseTranslator.Translate(anthropic, Created, jsonMode: false)!)!;

        var message = openAi["choices"]![0]!["message"]!.AsObject();
        Assert.True(message.ContainsKey("content"));
        Assert.Null(message["content"]);
        Assert.Equal("{}", (string?)message["tool_calls"]![0]!["function"]!["arguments"]);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"error":"x"}""")]
    public void Translate_NotAMessage_IsNull(string body)
        => Assert.Null(AnthropicResponseTranslator.Translate(Encoding.UTF8.GetBytes(body), Created, jsonMode: false));

    [Theory]
    [InlineData(400, "invalid_request_error", 400)]
    [InlineData(401, "authentication_error", 401)]
    [InlineData(403, "permission_error", 403)]
    [InlineData(404, "not_found_error", 404)]
    [InlineData(413, "request_too_large", 413)]
    [InlineData(429, "rate_limit_error", 429)]
    [InlineData(500, "api_error", 500)]
    [InlineData(529, "overloaded_error", 503)]
    public void Error_AnthropicShape_BecomesOpenAiShapeAndStatus(int status, string type, int openAiStatus)
    {
        var anthropic = Encoding.UTF8.GetBytes($$$"""{"type":"error","error":{"type":"{{{type}}}","message":"boom: {{{type}}}"}}""");

        var openAi = JsonNode.Parse(AnthropicErrorTranslator.Translate(anthropic, status))!;

        Assert.Equal(openAiStatus, AnthropicErrorTranslator.MapStatus(status));
        Assert.True(JsonNode.DeepEquals(
            JsonNode.Parse($$$"""{"error":{"message":"boom: {{{type}}}","type":"{{{type}}}","param":null,"code":"{{{type}}}"}}"""),
            openAi));
    }

    [Fact]
    public void Error_NotJson_IsCarriedAsTheMessage()
    {
        var openAi = JsonNode.Parse(AnthropicErrorTranslator.Translate("<html>bad gateway</html>"u8, 502))!;

        Assert.Equal("<html>bad gateway</html>", (string?)openAi["error"]!["message"]);
        Assert.Equal("api_error", (string?)openAi["error"]!["type"]);
    }
}
