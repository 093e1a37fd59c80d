using System.Buffers;
using System.Text;
using System.Text.Json;
using Amazon.Runtime.EventStreams;
using Amazon.Runtime.EventStreams.Internal;
using Gateway.Functions.Forwarding;

namespace Gateway.Functions.Providers;

/// <summary>
/// Bedrock's <c>application/vnd.amazon.eventstream</c> answer read as Anthropic's server-sent events:
/// binary frames (prelude, headers, payload, CRCs) decoded and checked by AWSSDK.Core's own
/// <see cref="EventStreamDecoder"/>; each <c>chunk</c> event's payload <c>{"bytes":"&lt;base64&gt;"}</c>
/// holds one Anthropic stream event, written out as <c>event: &lt;type&gt;\ndata: &lt;json&gt;\n\n</c>.
/// An exception event, a bad CRC, a frame that does not parse or a stream cut mid-frame ends the
/// stream with one Anthropic <c>error</c> event, so a client sees an error, never a hang.
/// </summary>
/// <remarks>
/// AWSSDK.Core 4.1.0's decoder loses a frame split across <c>ProcessData</c> calls when the data
/// does not start at offset 0 of the array (measured: every split frame at a non-zero offset was
/// dropped); reads here always land at offset 0 of the read buffer, where it decodes correctly.
/// </remarks>
internal sealed class BedrockEventStream : ReadOnlyStream
{
    private const int ReadSize = 16 * 1024;

    // A frame's fixed parts: the 12-byte prelude (total length, headers length, prelude CRC) and the 4-byte message CRC.
    private const int FrameOverhead = 16;

    private readonly Stream _upstream;
    private readonly EventStreamDecoder _decoder = new();
    private readonly ArrayBufferWriter<byte> _pending = new(ReadSize);
    private byte[]? _readBuffer = ArrayPool<byte>.Shared.Rent(ReadSize);
    private int _pendingOffset;
    private long _received;
    private long _decoded;
    private bool _ended;

    public BedrockEventStream(Stream upstream)
    {
        _upstream = upstream;
        _decoder.MessageReceived += (_, args) => OnMessage(args.Message);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_pending.WrittenCount == _pendingOffset && !_ended)
        {
            _pending.ResetWrittenCount();
            _pendingOffset = 0;
            var read = await _upstream.ReadAsync(_readBuffer.AsMemory(0, ReadSize), cancellationToken);
            if (read == 0)
            {
                if (_received != _decoded)
                {
                    End("the event stream ended in the middle of a frame");
                }

                _ended = true;
                break;
            }

            _received += read;
            try
            {
                _decoder.ProcessData(_readBuffer!, 0, read);
            }
            catch (Exception ex) when (ex is EventStreamChecksumFailureException or EventStreamParseException or EventStreamDecoderIllegalStateException or ArgumentException or IndexOutOfRangeException)
            {
                End("malformed event stream frame: " + ex.Message);
            }
        }

        var available = _pending.WrittenSpan[_pendingOffset..];
        var count = Math.Min(available.Length, buffer.Length);
        available[..count].CopyTo(buffer.Span);
        _pendingOffset += count;
        return count;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _decoder.Dispose();
            _upstream.Dispose();
            if (_readBuffer is { } rented)
            {
                _readBuffer = null;
                ArrayPool<byte>.Shared.Return(rented);
            }
        }

        base.Dispose(disposing);
    }

    private void OnMessage(EventStreamMessage message)
    {
        _decoded += FrameSize(message);
        if (_ended)
        {
            return;
        }

        switch (HeaderString(message, ":message-type"))
        {
            case "event" when HeaderString(message, ":event-type") == "chunk":
                WriteChunk(message.Payload);
                break;
            case "event":
                // Other event types (none documented for InvokeModelWithResponseStream) carry no answer.
                break;
            case "exception":
                var exceptionType = HeaderString(message, ":exception-type") ?? "exception";
                End(BedrockErrors.AnthropicType(exceptionType, status: 500), MessageOf(message.Payload) ?? exceptionType);
                break;
            default:
                // ":message-type: error" carries its code and message in headers.
                var code = HeaderString(message, ":error-code") ?? "error";
                End(BedrockErrors.AnthropicType(code, status: 500), HeaderString(message, ":error-message") ?? code);
                break;
        }
    }

    /// <summary>A chunk's payload <c>{"bytes":"&lt;base64 Anthropic event&gt;"}</c> → one SSE event named after its <c>type</c>.</summary>
    private void WriteChunk(byte[] payload)
    {
        byte[] json;
        string? type;
        try
        {
            using var chunk = JsonDocument.Parse(payload);
            if (!chunk.RootElement.TryGetProperty("bytes", out var bytes) || !bytes.TryGetBytesFromBase64(out var decoded))
            {
                End("a chunk event without base64 \"bytes\"");
                return;
            }

            json = decoded;
            type = TypeOf(json);
        }
        catch (JsonException ex)
        {
            End("a chunk event that is not JSON: " + ex.Message);
            return;
        }

        // A data: line must not break; JSON whitespace may, so such an event is rewritten compact.
        if (json.AsSpan().IndexOfAny((byte)'\n', (byte)'\r') >= 0)
        {
            json = JsonSerializer.SerializeToUtf8Bytes(JsonDocument.Parse(json).RootElement);
        }

        WriteEvent(type ?? "completion", json);
    }

    // The Anthropic event's "type" (message_start, content_block_delta, ...); the legacy completion chunks have none.
    private static string? TypeOf(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Object
            && document.RootElement.TryGetProperty("type", out var type)
            && type.ValueKind == JsonValueKind.String
                ? type.GetString()
                : null;
    }

    private void WriteEvent(string type, ReadOnlySpan<byte> json)
    {
        _pending.Write("event: "u8);
        _pending.Write(Encoding.UTF8.GetBytes(type));
        _pending.Write("\ndata: "u8);
        _pending.Write(json);
        _pending.Write("\n\n"u8);
    }

    private void End(string reason) => End("api_error", "Bedrock " + reason);

    private void End(string anthropicType, string message)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        WriteEvent("error", BedrockErrors.AnthropicError(anthropicType, message));
    }

    private static string? MessageOf(byte[] payload)
    {
        try
        {
            using var document = JsonDocument.Parse(payload);
            return BedrockErrors.MessageOf(document.RootElement);
        }
        catch (JsonException)
        {
            return payload.Length == 0 ? null : Encoding.UTF8.GetString(payload);
        }
    }

    private static string? HeaderString(EventStreamMessage message, string name)
        => message.Headers.TryGetValue(name, out var header) && header.HeaderType == EventStreamHeaderType.String ? header.AsString() : null;

    private static long FrameSize(EventStreamMessage message)
    {
        var size = FrameOverhead + (long)message.Payload.Length;
        foreach (var header in message.Headers.Values)
        {
            size += header.GetWireSize();
        }

        return size;
    }
}
