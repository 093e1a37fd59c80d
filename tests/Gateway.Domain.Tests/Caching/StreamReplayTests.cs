using System.Text;
using System.Text.Json;
using Gateway.Domain.Caching;

namespace Gateway.Domain.Tests.Caching;

public sealed class StreamReplayTests
{
    private const string OpenAiChatStream =
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"gpt-4o\",\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" wor\"},\"logprobs\":null,\"finish_reason\":null}]}\r\n\r\n" +
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ld\"},\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"created\":7,\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"logprobs\":null,\"finish_reason\":\"stop\"}]}\n\n" +
        "data: [DONE]\n\n";

    private const string AnthropicStream =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-3-5-haiku\",\"content\":[],\"usage\":{\"input_tokens\":4,\"output_tokens\":1}}}\n\n" +
        "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        "event: ping\ndata: {\"type\":\"ping\"}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Bonjour\"}}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" monde\"}}\n\n" +
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":2}}\n\n" +
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    private static CachedResponse? Capture(CachedResponseKind kind, bool streamed, string delivered, int max = 1 << 20, int chunk = 7)
    {
        var capture = new ResponseCapture(kind, streamed, max);
        var bytes = Encoding.UTF8.GetBytes(delivered);
        for (var i = 0; i < bytes.Length; i += chunk)
        {
            capture.Append(bytes.AsSpan(i, Math.Min(chunk, bytes.Length - i)));
        }

        return capture.Complete(promptTokens: 4, completionTokens: 3);
    }

    private static List<string> ContentTexts(IEnumerable<byte[]> events, Func<JsonElement, string?> text)
    {
        var texts = new List<string>();
        foreach (var evt in events)
        {
            var data = Encoding.UTF8.GetString(evt).Split('\n').Single(static l => l.StartsWith("data: ", StringComparison.Ordinal))[6..];
            if (data == "[DONE]")
            {
                continue;
            }

            using var document = JsonDocument.Parse(data);
            if (text(document.RootElement) is { } t)
            {
                texts.Add(t);
            }
        }

        return texts;
    }

    private static string? ChatDelta(JsonElement root)
        => root.GetProperty("choices").GetArrayLength() > 0 && root.GetProperty("choices")[0].GetProperty("delta").TryGetProperty("content", out var c) ? c.GetString() : null;

    [Fact]
    public void OpenAiChatStream_ReplaysTheOriginalChunkTexts()
    {
        var entry = Capture(CachedResponseKind.ChatCompletion, streamed: true, OpenAiChatStream);

        Assert.NotNull(entry);
        var original = ContentTexts(OpenAiChatStream.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(static e => Encoding.UTF8.GetBytes(e.Trim('\r', '\n') + "\n\n")), ChatDelta);
        var replayed = CachedResponseRenderer.Events(entry, includeUsage: false);
        Assert.Equal(original, ContentTexts(replayed, ChatDelta));
        Assert.Equal(["", "Hello", " wor", "ld"], original);
        Assert.Equal("data: [DONE]\n\n", Encoding.UTF8.GetString(replayed[^1]));
    }

    [Fact]
    public void OpenAiReplay_UsageChunkOnlyWhenAsked()
    {
        var entry = Capture(CachedResponseKind.ChatCompletion, streamed: true, OpenAiChatStream)!;

        var without = CachedResponseRenderer.Events(entry, includeUsage: false);
        var with = CachedResponseRenderer.Events(entry, includeUsage: true);

        Assert.DoesNotContain(without, static e => Encoding.UTF8.GetString(e).Contains("\"usage\"", StringComparison.Ordinal));
        Assert.Equal(without.Count + 1, with.Count);
        Assert.Contains("\"prompt_tokens\":4,\"completion_tokens\":3,\"total_tokens\":7", Encoding.UTF8.GetString(with[^2]), StringComparison.Ordinal);
    }

    [Fact]
    public void StreamedEntry_AnswersANonStreamedRequest()
    {
        var entry = Capture(CachedResponseKind.ChatCompletion, streamed: true, OpenAiChatStream)!;

        using var body = JsonDocument.Parse(CachedResponseRenderer.Json(entry));
        var root = body.RootElement;

        Assert.Equal("chatcmpl-1", root.GetProperty("id").GetString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal("Hello world", root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", root.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
        Assert.Equal(7, root.GetProperty("usage").GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public void NonStreamedEntry_KeepsTheBodyAndStreamsItsText()
    {
        const string json = """{"id":"chatcmpl-9","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":"Whole answer","refusal":null},"logprobs":null,"finish_reason":"stop"}],"usage":{"prompt_tokens":4,"completion_tokens":2,"total_tokens":6}}""";

        var entry = Capture(CachedResponseKind.ChatCompletion, streamed: false, json)!;

        Assert.Equal(json, Encoding.UTF8.GetString(CachedResponseRenderer.Json(entry)));
        Assert.Equal(["", "Whole answer"], ContentTexts(CachedResponseRenderer.Events(entry, includeUsage: false), ChatDelta));
    }

    [Fact]
    public void TextCompletionStream_RoundTrips()
    {
        const string stream =
            "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"gpt-3.5-turbo-instruct\",\"choices\":[{\"text\":\"One\",\"index\":0,\"logprobs\":null,\"finish_reason\":null}]}\n\n" +
            "data: {\"id\":\"cmpl-1\",\"object\":\"text_completion\",\"created\":1,\"model\":\"gpt-3.5-turbo-instruct\",\"choices\":[{\"text\":\" two\",\"index\":0,\"logprobs\":null,\"finish_reason\":\"length\"}]}\n\n" +
            "data: [DONE]\n\n";

        var entry = Capture(CachedResponseKind.TextCompletion, streamed: true, stream)!;
        var replayed = ContentTexts(CachedResponseRenderer.Events(entry, includeUsage: false), static r => r.GetProperty("choices")[0].GetProperty("text").GetString() is { Length: > 0 } t ? t : null);

        Assert.Equal(["One", " two"], replayed);
        Assert.Equal("length", entry.Parts!.Choices[0].FinishReason);
    }

    [Fact]
    public void AnthropicStream_ReplaysTheOriginalDeltas()
    {
        var entry = Capture(CachedResponseKind.AnthropicMessage, streamed: true, AnthropicStream);

        Assert.NotNull(entry);
        var replayed = CachedResponseRenderer.Events(entry, includeUsage: false);
        var names = replayed.Select(static e => Encoding.UTF8.GetString(e).Split('\n')[0]).ToList();
        Assert.Equal(
            ["event: message_start", "event: content_block_start", "event: content_block_delta", "event: content_block_delta", "event: content_block_stop", "event: message_delta", "event: message_stop"],
            names);
        var texts = ContentTexts(replayed, static r => r.GetProperty("type").GetString() == "content_block_delta" ? r.GetProperty("delta").GetProperty("text").GetString() : null);
        Assert.Equal(["Bonjour", " monde"], texts);

        using var body = JsonDocument.Parse(CachedResponseRenderer.Json(entry));
        Assert.Equal("Bonjour monde", body.RootElement.GetProperty("content")[0].GetProperty("text").GetString());
        Assert.Equal("end_turn", body.RootElement.GetProperty("stop_reason").GetString());
        Assert.Equal("msg_1", body.RootElement.GetProperty("id").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void StreamCutBeforeItsEnd_IsNotCached(bool anthropic)
    {
        var full = anthropic ? AnthropicStream : OpenAiChatStream;
        var cut = full[..(full.Length / 2)];

        Assert.Null(Capture(anthropic ? CachedResponseKind.AnthropicMessage : CachedResponseKind.ChatCompletion, streamed: true, cut));
    }

    [Fact]
    public void StreamWithAnErrorEventOrToolCalls_IsNotCached()
    {
        var error = OpenAiChatStream.Replace("data: [DONE]", "data: {\"error\":{\"type\":\"bricksllm_error\",\"message\":\"x\"}}\n\ndata: [DONE]", StringComparison.Ordinal);
        var tools = OpenAiChatStream.Replace("{\"content\":\"Hello\"}", "{\"tool_calls\":[{\"index\":0,\"id\":\"t\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}]}", StringComparison.Ordinal);

        Assert.Null(Capture(CachedResponseKind.ChatCompletion, streamed: true, error));
        Assert.Null(Capture(CachedResponseKind.ChatCompletion, streamed: true, tools));
    }

    [Fact]
    public void AnswerLargerThanTheBound_IsNotCached()
    {
        Assert.Null(Capture(CachedResponseKind.ChatCompletion, streamed: true, OpenAiChatStream, max: OpenAiChatStream.Length - 1));
        Assert.NotNull(Capture(CachedResponseKind.ChatCompletion, streamed: true, OpenAiChatStream, max: OpenAiChatStream.Length));
    }

    [Fact]
    public void ToolCallAnswer_IsKeptForNonStreamedRequestsOnly()
    {
        const string json = """{"id":"c","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}""";

        var entry = Capture(CachedResponseKind.ChatCompletion, streamed: false, json)!;

        Assert.False(entry.CanStream);
        Assert.Equal(json, Encoding.UTF8.GetString(CachedResponseRenderer.Json(entry)));
    }

    [Fact]
    public void ErrorBody_IsNotCached()
    {
        Assert.Null(Capture(CachedResponseKind.ChatCompletion, streamed: false, """{"error":{"message":"bad","type":"invalid_request_error"}}"""));
    }

    [Fact]
    public void Embeddings_AreKeptWholeAndNeverStreamed()
    {
        const string json = """{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.5,0.25]}],"model":"text-embedding-3-small","usage":{"prompt_tokens":2,"total_tokens":2}}""";

        var entry = Capture(CachedResponseKind.Embeddings, streamed: false, json)!;

        Assert.False(entry.CanStream);
        Assert.Equal(json, Encoding.UTF8.GetString(CachedResponseRenderer.Json(entry)));
    }
}
