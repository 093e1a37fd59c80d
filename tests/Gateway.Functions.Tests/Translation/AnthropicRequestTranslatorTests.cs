using System.Text;
using System.Text.Json.Nodes;
using Gateway.Functions.Translation;

namespace Gateway.Functions.Tests.Translation;

/// <summary>
/// OpenAI → Anthropic request translation, field by field: each row is an OpenAI request (a base
/// conversation plus the field under test) and the Anthropic members it must produce, or the field
/// a 400 must name.
/// </summary>
public sealed class AnthropicRequestTranslatorTests
{
    private const string Model = "claude-3-5-haiku-20241022";
    private const string Hello = """{"role":"user","content":"Hi"}""";

    public static TheoryData<string, string, string> Translated => new()
    {
        // field, OpenAI request members, expected Anthropic members
        { "model", $$$$$"""{"model":"anthropic/{{{{{Model}}}}}","messages":[{{{{{Hello}}}}}]}""", $$$$$"""{"model":"{{{{{Model}}}}}","messages":[{"role":"user","content":"Hi"}]}""" },
        { "system", """{"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}""", """{"system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":"Hi"}]}""" },
        { "developer", """{"messages":[{"role":"developer","content":[{"type":"text","text":"A"}]},{"role":"system","content":"B"},{"role":"user","content":"Hi"}]}""", """{"system":[{"type":"text","text":"A"},{"type":"text","text":"B"}]}""" },
        { "multi-turn", """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"},{"role":"user","content":[{"type":"text","text":"Again"}]}]}""", """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"text","text":"Hello!"}]},{"role":"user","content":[{"type":"text","text":"Again"}]}]}""" },
        { "image url", """{"messages":[{"role":"user","content":[{"type":"text","text":"What?"},{"type":"image_url","image_url":{"url":"https://img.example/cat.png","detail":"low"}}]}]}""", """{"messages":[{"role":"user","content":[{"type":"text","text":"What?"},{"type":"image","source":{"type":"url","url":"https://img.example/cat.png"}}]}]}""" },
        { "image base64", """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}]}""", """{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}]}""" },
        { "tools", $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}}},"strict":true}}]}""", """{"tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]}""" },
        { "tool without parameters", $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"now"}}]}""", """{"tools":[{"name":"now","input_schema":{"type":"object","properties":{}}}]}""" },
        { "tool_choice auto", $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"auto"}""", """{"tool_choice":{"type":"auto"}}""" },
        { "tool_choice required", $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"required"}""", """{"tool_choice":{"type":"any"}}""" },
        { "tool_choice none", $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"none"}""", """{"tool_choice":{"type":"none"}}""" },
        { "tool_choice named", $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":{"type":"function","function":{"name":"f"}}}""", """{"tool_choice":{"type":"tool","name":"f"}}""" },
        { "parallel_tool_calls false", $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"f"}}],"parallel_tool_calls":false}""", """{"tool_choice":{"type":"auto","disable_parallel_tool_use":true}}""" },
        { "parallel_tool_calls false + required", $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"required","parallel_tool_calls":false}""", """{"tool_choice":{"type":"any","disable_parallel_tool_use":true}}""" },
        {
            "parallel tool calls and results",
            """{"messages":[{"role":"user","content":"Weather in Paris and Rome?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},{"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"18C"},{"role":"tool","tool_call_id":"call_2","content":[{"type":"text","text":"21C"}]},{"role":"user","content":"Thanks"}]}""",
            """{"messages":[{"role":"user","content":"Weather in Paris and Rome?"},{"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}},{"type":"tool_use","id":"call_2","name":"get_weather","input":{"city":"Rome"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":"18C"},{"type":"tool_result","tool_use_id":"call_2","content":[{"type":"text","text":"21C"}]}]},{"role":"user","content":"Thanks"}]}"""
        },
        { "assistant text + tool call", """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Let me look.","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":""}}]}]}""", """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"text","text":"Let me look."},{"type":"tool_use","id":"c","name":"f","input":{}}]}]}""" },
        { "response_format json_object", $$$$$"""{"messages":[{{{{{Hello}}}}}],"response_format":{"type":"json_object"}}""", """{"tools":[{"name":"json_response","description":"Answer with a JSON object.","input_schema":{"type":"object"}}],"tool_choice":{"type":"tool","name":"json_response"}}""" },
        { "response_format json_schema", $$$$$"""{"messages":[{{{{{Hello}}}}}],"response_format":{"type":"json_schema","json_schema":{"name":"person","schema":{"type":"object","properties":{"name":{"type":"string"}}},"strict":true}}}""", """{"tools":[{"name":"json_response","description":"Answer with JSON matching the schema.","input_schema":{"type":"object","properties":{"name":{"type":"string"}}}}],"tool_choice":{"type":"tool","name":"json_response"}}""" },
        { "response_format text", $$$$$"""{"messages":[{{{{{Hello}}}}}],"response_format":{"type":"text"}}""", """{"max_tokens":8192}""" },
        { "stop string", $$$$$"""{"messages":[{{{{{Hello}}}}}],"stop":"END"}""", """{"stop_sequences":["END"]}""" },
        { "stop array", $$$$$"""{"messages":[{{{{{Hello}}}}}],"stop":["a","b"]}""", """{"stop_sequences":["a","b"]}""" },
        { "temperature", $$$$$"""{"messages":[{{{{{Hello}}}}}],"temperature":0.3}""", """{"temperature":0.3}""" },
        { "top_p", $$$$$"""{"messages":[{{{{{Hello}}}}}],"top_p":0.9}""", """{"top_p":0.9}""" },
        { "max_tokens", $$$$$"""{"messages":[{{{{{Hello}}}}}],"max_tokens":100}""", """{"max_tokens":100}""" },
        { "max_completion_tokens wins", $$$$$"""{"messages":[{{{{{Hello}}}}}],"max_completion_tokens":50,"max_tokens":100}""", """{"max_tokens":50}""" },
        { "max_tokens default", $$$$$"""{"messages":[{{{{{Hello}}}}}]}""", """{"max_tokens":8192}""" },
        { "user", $$$$$"""{"messages":[{{{{{Hello}}}}}],"user":"alice"}""", """{"metadata":{"user_id":"alice"}}""" },
        { "safety_identifier", $$$$$"""{"messages":[{{{{{Hello}}}}}],"safety_identifier":"h-123"}""", """{"metadata":{"user_id":"h-123"}}""" },
        { "stream", $$$$$"""{"messages":[{{{{{Hello}}}}}],"stream":true,"stream_options":{"include_usage":true}}""", """{"stream":true}""" },
        { "defaults accepted", $$$$$"""{"messages":[{{{{{Hello}}}}}],"n":1,"presence_penalty":0,"frequency_penalty":0,"logprobs":false,"logit_bias":{},"modalities":["text"],"store":false}""", $$$$$"""{"model":"{{{{{Model}}}}}","max_tokens":8192}""" },
    };

    public static TheoryData<string, string> Refused => new()
    {
        // OpenAI request members, the field the 400 names
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"n":2}""", "n" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"logprobs":true}""", "logprobs" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"top_logprobs":3}""", "top_logprobs" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"logit_bias":{"50256":-100}}""", "logit_bias" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"presence_penalty":0.5}""", "presence_penalty" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"frequency_penalty":1}""", "frequency_penalty" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"seed":7}""", "seed" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"reasoning_effort":"low"}""", "reasoning_effort" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"functions":[]}""", "functions" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"temperature":1.5}""", "temperature" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"modalities":["text","audio"]}""", "modalities" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"max_tokens":0}""", "max_tokens" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"stop":[1]}""", "stop" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"f"}}],"response_format":{"type":"json_object"}}""", "response_format" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{"type":"array"}}}}""", "response_format.json_schema.schema" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"custom","custom":{"name":"f"}}]}""", "tools[0].type" },
        { $$$$$"""{"messages":[{{{{{Hello}}}}}],"tools":[{"type":"function","function":{"name":"f"}}],"tool_choice":"sometimes"}""", "tool_choice" },
        { """{"messages":[]}""", "messages" },
        { """{"messages":[{"role":"user","content":"Hi"},{"role":"system","content":"late"}]}""", "messages[1].role" },
        { """{"messages":[{"role":"function","name":"f","content":"x"}]}""", "messages[0].name" },
        { """{"messages":[{"role":"user","name":"bob","content":"Hi"}]}""", "messages[0].name" },
        { """{"messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"AA==","format":"wav"}}]}]}""", "messages[0].content[0].type" },
        { """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/bmp;base64,Qk0="}}]}]}""", "messages[0].content[0].image_url.url" },
        { """{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"ftp://x/y.png"}}]}]}""", "messages[0].content[0].image_url.url" },
        { """{"messages":[{"role":"assistant","content":null,"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1]"}}]}]}""", "messages[0].tool_calls[0].function.arguments" },
        { """{"messages":[{"role":"assistant","content":"x","audio":{"id":"a"}}]}""", "messages[0].audio" },
        { """{"messages":[{"role":"tool","content":"x"}]}""", "messages[0].tool_call_id" },
    };

    [Theory]
    [MemberData(nameof(Translated))]
    public void Translate_Field_ProducesAnthropicMembers(string field, string openAi, string expected)
    {
        var translation = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi), Model);

        Assert.True(translation.Error is null, $"{field}: {translation.Error}");
        var actual = JsonNode.Parse(translation.Request!.Body)!.AsObject();
        foreach (var (name, value) in JsonNode.Parse(expected)!.AsObject())
        {
            Assert.True(JsonNode.DeepEquals(value, actual[name]), $"{field}: {name} is {actual[name]?.ToJsonString()}, expected {value?.ToJsonString()}");
        }
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public void Translate_UntranslatableField_NamesIt(string openAi, string field)
    {
        var translation = AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(openAi), Model);

        Assert.Null(translation.Request);
        Assert.Equal(field, translation.Error!.Field);
        var outcome = translation.Error.ToOutcome("anthropic");
        Assert.Equal(400, outcome.Status);
        Assert.Contains($"'{field}'", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_Stream_RemembersWhatTheResponseNeeds()
    {
        var translation = AnthropicRequestTranslator.Translate(
            """{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true},"response_format":{"type":"json_object"}}"""u8,
            Model);

        var request = translation.Request!;
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.True(request.JsonMode);
        Assert.Equal(Model, request.Model);
        Assert.DoesNotContain("stream_options", Encoding.UTF8.GetString(request.Body), StringComparison.Ordinal);
    }

    [Fact]
    public void Translate_ForBedrock_HasVersionAndNeitherModelNorStream()
    {
        var translation = AnthropicRequestTranslator.Translate(
            """{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true}"""u8,
            "anthropic.claude-3-5-haiku-20241022-v1:0",
            forBedrock: true);

        var body = JsonNode.Parse(translation.Request!.Body)!.AsObject();
        Assert.Equal("bedrock-2023-05-31", body["anthropic_version"]!.GetValue<string>());
        Assert.False(body.ContainsKey("model"));
        Assert.False(body.ContainsKey("stream"));
        Assert.Equal(8192, body["max_tokens"]!.GetValue<int>());
        Assert.True(translation.Request.Stream);
    }

    [Theory]
    [InlineData("claude-3-haiku-20240307", 4096)]
    [InlineData("claude-3-5-sonnet-20241022", 8192)]
    [InlineData("claude-3-7-sonnet-20250219", 64000)]
    [InlineData("claude-sonnet-4-20250514", 64000)]
    [InlineData("claude-opus-4-1-20250805", 32000)]
    [InlineData("claude-opus-4-5-20251101", 64000)]
    [InlineData("claude-haiku-4-5", 64000)]
    [InlineData("us.anthropic.claude-3-5-haiku-20241022-v1:0", 8192)]
    [InlineData("claude-2.1", 4096)]
    public void MaxTokens_Model_DefaultsFromTable(string model, int expected)
        => Assert.Equal(expected, AnthropicMaxTokens.For(model));

    [Theory]
    [InlineData("not json")]
    [InlineData("[1]")]
    public void Translate_NotAnObject_IsRefused(string body)
        => Assert.Equal("(body)", AnthropicRequestTranslator.Translate(Encoding.UTF8.GetBytes(body), Model).Error!.Field);
}
