using System.Text;
using Gateway.Domain.Usage;

namespace Gateway.Domain.Tests.UsageTap;

/// <summary>
/// The documents the tap reads on every proxied response (OpenAI chat completions and stream chunks,
/// Anthropic messages and stream events, embeddings), whole and split into two chunks at every byte:
/// a name, a number or a text split across chunks reads the same as in one piece.
/// </summary>
public sealed class JsonUsageTapDocumentTests
{
    private const string ChatCompletion = """
        {"id":"chatcmpl-1","object":"chat.completion","created":1764460800,"model":"gpt-4o-mini-2024-07-18",
         "choices":[{"index":0,"message":{"role":"assistant","content":"Hello, caf\u00e9 \"friend\"!","refusal":null},"logprobs":null,"finish_reason":"stop"}],
         "usage":{"prompt_tokens":12,"completion_tokens":7,"total_tokens":19,
                  "prompt_tokens_details":{"cached_tokens":4,"audio_tokens":0},
                  "completion_tokens_details":{"reasoning_tokens":2,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0}},
         "system_fingerprint":"fp_1"}

        """;

    public static TheoryData<int> ChatSplits => Splits(ChatCompletion);

    [Theory]
    [MemberData(nameof(ChatSplits))]
    public void ChatCompletion_SplitAnywhere_ReadsNestedUsageTextAndModel(int split)
    {
        var tap = AppendSplit(ChatCompletion, split);

        Assert.False(tap.Failed);
        Assert.Equal("gpt-4o-mini-2024-07-18", tap.Model);
        Assert.Equal("Hello, café \"friend\"!", tap.Text);
        Assert.False(tap.IsUsageOnlyChunk);
        Assert.Equal(
            new Dictionary<string, long>
            {
                ["prompt_tokens"] = 12,
                ["completion_tokens"] = 7,
                ["total_tokens"] = 19,
                ["prompt_tokens_details.cached_tokens"] = 4,
                ["prompt_tokens_details.audio_tokens"] = 0,
                ["completion_tokens_details.reasoning_tokens"] = 2,
                ["completion_tokens_details.audio_tokens"] = 0,
                ["completion_tokens_details.accepted_prediction_tokens"] = 0,
                ["completion_tokens_details.rejected_prediction_tokens"] = 0,
            },
            tap.UsageNumbers.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
    }

    private const string UsageOnlyChunk = """{"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[],"usage":{"prompt_tokens":5,"completion_tokens":6,"total_tokens":11,"prompt_tokens_details":{"cached_tokens":1}}}""";

    public static TheoryData<int> UsageOnlySplits => Splits(UsageOnlyChunk);

    [Theory]
    [MemberData(nameof(UsageOnlySplits))]
    public void UsageOnlyStreamChunk_SplitAnywhere_IsRecognisedWithItsNumbers(int split)
    {
        var tap = AppendSplit(UsageOnlyChunk, split);

        Assert.True(tap.IsUsageOnlyChunk);
        Assert.Equal(5, tap.UsageNumbers["prompt_tokens"]);
        Assert.Equal(1, tap.UsageNumbers["prompt_tokens_details.cached_tokens"]);
        Assert.Equal("gpt-4o", tap.Model);
    }

    [Theory]
    [InlineData("""{"choices":[{"index":0,"delta":{"content":"hi"}}],"usage":null}""", false)]
    [InlineData("""{"choices":[{"index":0,"delta":{}}],"usage":{"prompt_tokens":1}}""", false)]
    [InlineData("""{"choices":[],"usage":null}""", false)]
    [InlineData("""{"choices":[],"usage":{"prompt_tokens":1}}""", true)]
    [InlineData("""{"usage":{"prompt_tokens":1},"choices":[]}""", true)]
    [InlineData("""{"data":{"choices":[],"usage":{"prompt_tokens":1}}}""", false)]
    public void UsageOnlyChunk_OnlyForEmptyTopLevelChoicesAndAUsageObject(string json, bool usageOnly)
    {
        var tap = new JsonUsageTap();

        tap.Append(Encoding.UTF8.GetBytes(json), isFinal: true);

        Assert.Equal(usageOnly, tap.IsUsageOnlyChunk);
    }

    [Fact]
    public void ChatStreamEvents_WithReset_TextPerEventModelKept()
    {
        var tap = new JsonUsageTap();
        var texts = new List<string?>();
        foreach (var json in (string[])[
            """{"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"finish_reason":null}],"usage":null}""",
            """{"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}],"usage":null}""",
            """{"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{"content":"lo"},"finish_reason":null}],"usage":null}""",
            """{"id":"c","object":"chat.completion.chunk","model":"gpt-4o","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}"""])
        {
            tap.Reset();
            tap.Append(Encoding.UTF8.GetBytes(json), isFinal: false);
            tap.Append([], isFinal: true);
            Assert.False(tap.IsUsageOnlyChunk);
            Assert.Empty(tap.UsageNumbers);
            texts.Add(tap.Text);
        }

        Assert.Equal(["", "Hel", "lo", ""], texts);
        Assert.Equal("gpt-4o", tap.Model);
    }

    private const string AnthropicMessage = """
        {"id":"msg_1","type":"message","role":"assistant","model":"claude-3-5-haiku-20241022",
         "content":[{"type":"text","text":"Hi "},{"type":"tool_use","id":"t","name":"f","input":{"text":"not completion"}},{"type":"text","text":"there"}],
         "stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":20,"cache_creation_input_tokens":3,"cache_read_input_tokens":8,"cache_creation":{"ephemeral_5m_input_tokens":3,"ephemeral_1h_input_tokens":0},"output_tokens":9,"service_tier":"standard"}}
        """;

    public static TheoryData<int> AnthropicSplits => Splits(AnthropicMessage);

    [Theory]
    [MemberData(nameof(AnthropicSplits))]
    public void AnthropicMessage_SplitAnywhere_ReadsTextBlocksAndUsage(int split)
    {
        var tap = AppendSplit(AnthropicMessage, split);

        Assert.False(tap.Failed);
        Assert.Equal("claude-3-5-haiku-20241022", tap.Model);
        Assert.Equal("Hi there", tap.Text);
        Assert.Equal(20, tap.UsageNumbers["input_tokens"]);
        Assert.Equal(9, tap.UsageNumbers["output_tokens"]);
        Assert.Equal(8, tap.UsageNumbers["cache_read_input_tokens"]);
        Assert.Equal(3, tap.UsageNumbers["cache_creation.ephemeral_5m_input_tokens"]);
        Assert.Equal(6, tap.UsageNumbers.Count);
    }

    [Fact]
    public void AnthropicStreamEvents_ReadMessageUsageDeltaTextAndFinalUsage()
    {
        var tap = new JsonUsageTap();

        tap.Append("""{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-3-5-haiku-20241022","usage":{"input_tokens":25,"output_tokens":1}}}"""u8, isFinal: true);
        Assert.Equal(25, tap.UsageNumbers["input_tokens"]);
        Assert.Equal(1, tap.UsageNumbers["output_tokens"]);

        tap.Reset();
        tap.Append("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}"""u8, isFinal: true);
        Assert.Equal("Hello", tap.Text);
        Assert.Empty(tap.UsageNumbers);

        tap.Reset();
        tap.Append("""{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":15}}"""u8, isFinal: true);
        Assert.Equal(15, tap.UsageNumbers["output_tokens"]);
        Assert.Equal("", tap.Text);
        Assert.Equal("claude-3-5-haiku-20241022", tap.Model);
        Assert.False(tap.IsUsageOnlyChunk);
    }

    [Fact]
    public void Embeddings_NumbersOutsideUsageIgnored_UsageRead_NoText()
    {
        var tap = new JsonUsageTap();

        tap.Append("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0023,-0.0093,1e-3,7]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}"""u8, isFinal: true);

        Assert.Equal(new Dictionary<string, long> { ["prompt_tokens"] = 8, ["total_tokens"] = 8 }, tap.UsageNumbers.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
        Assert.Null(tap.Text);
        Assert.Equal("text-embedding-3-small", tap.Model);
    }

    [Fact]
    public void CompletionsText_AndLongTextWithEscapes_ReadWhole()
    {
        var longText = string.Concat(Enumerable.Repeat("caf\\u00e9 \\\"x\\\"\\n", 200));
        var tap = new JsonUsageTap();

        tap.Append(Encoding.UTF8.GetBytes($$$"""{"object":"text_completion","choices":[{"text":"{{{longText}}}","index":0}],"usage":{"prompt_tokens":1}}"""), isFinal: true);

        Assert.Equal(string.Concat(Enumerable.Repeat("café \"x\"\n", 200)), tap.Text);
        Assert.Equal(1, tap.UsageNumbers["prompt_tokens"]);
    }

    private static JsonUsageTap AppendSplit(string json, int split)
    {
        var bytes = Encoding.UTF8.GetBytes(json);
        var tap = new JsonUsageTap();
        tap.Append(bytes.AsSpan(0, split), isFinal: false);
        tap.Append(bytes.AsSpan(split), isFinal: false);
        tap.Append([], isFinal: true);
        return tap;
    }

    private static TheoryData<int> Splits(string json)
    {
        var splits = new TheoryData<int>();
        for (var i = 0; i <= Encoding.UTF8.GetByteCount(json); i++)
        {
            splits.Add(i);
        }

        return splits;
    }
}
