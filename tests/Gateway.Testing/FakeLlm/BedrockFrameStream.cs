using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gateway.Testing.FakeLlm;

/// <summary>
/// The response body of the fake's <c>invoke-with-response-stream</c>: the Anthropic SSE events the
/// Anthropic endpoints write are re-framed as Bedrock's <c>application/vnd.amazon.eventstream</c>
/// messages (<see cref="BedrockFrames"/>). Each event becomes a <c>chunk</c> whose payload is <c>{"bytes":"&lt;base64 JSON&gt;"}</c>;
/// <c>ping</c> is not sent; <c>message_stop</c> carries <c>amazon-bedrock-invocationMetrics</c>.
/// </summary>
internal sealed class BedrockFrameStream(Stream inner, FakeBedrockBehavior behavior) : Stream
{
    private readonly MemoryStream _buffer = new();
    private readonly string? _exception = behavior.StreamException;
    private readonly int _corruptFrame = behavior.CorruptFrameIndex;
    private int _frames;
    private int _inputTokens;
    private int _outputTokens;
    private bool _ended;

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _buffer.Write(buffer.Span);
        var data = _buffer.GetBuffer().AsMemory(0, (int)_buffer.Length);
        var start = 0;
        int end;
        while ((end = data.Span[start..].IndexOf("\n\n"u8)) >= 0)
        {
            await WriteEventAsync(Encoding.UTF8.GetString(data.Span.Slice(start, end)), cancellationToken);
            start += end + 2;
        }

        var rest = data[start..].ToArray();
        _buffer.SetLength(0);
        _buffer.Write(rest);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    private async Task WriteEventAsync(string sseEvent, CancellationToken cancellationToken)
    {
        string? name = null;
        string? data = null;
        foreach (var line in sseEvent.Split('\n'))
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal))
            {
                name = line[7..];
            }
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line[6..];
            }
        }

        if (_ended || data is null || name == "ping")
        {
            return;
        }

        var json = JsonNode.Parse(data)!.AsObject();
        Count(json);
        if (name == "message_stop" || (name == "completion" && json["stop_reason"] is not null))
        {
            json["amazon-bedrock-invocationMetrics"] = new JsonObject
            {
                ["inputTokenCount"] = _inputTokens,
                ["outputTokenCount"] = _outputTokens,
                ["invocationLatency"] = 12,
                ["firstByteLatency"] = 3,
            };
        }

        if (name == "completion")
        {
            // Bedrock's legacy completion chunks are {"completion","stop_reason","stop"} only.
            json.Remove("type");
            json.Remove("id");
            json.Remove("model");
        }

        var frame = BedrockFrames.Chunk(JsonSerializer.SerializeToUtf8Bytes(json));
        if (_exception is not null && _frames == 2)
        {
            frame = BedrockFrames.Exception(_exception, "Too many tokens, please wait before trying again.");
            _ended = true;
        }
        else if (_frames == _corruptFrame)
        {
            frame[^1] ^= 0x5a;
            _ended = true;
        }

        _frames++;
        await inner.WriteAsync(frame, cancellationToken);
    }

    private void Count(JsonObject json)
    {
        var usage = json["message"]?["usage"] ?? json["usage"];
        if (usage?["input_tokens"] is { } input)
        {
            _inputTokens = (int)input;
        }

        if (usage?["output_tokens"] is { } output)
        {
            _outputTokens = (int)output;
        }
    }
}
