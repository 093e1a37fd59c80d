using System.Buffers;
using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Providers;

/// <summary>
/// Usage of a custom provider, read where its route config says (BricksLLM's rule): the completion
/// text at <c>response_completion_location</c> of a JSON answer, or for a stream the text at
/// <c>stream_response_completion_location</c> of each <c>data:</c> payload until
/// <c>stream_end_word</c>. Tokens are counted at ingest, so the event is marked estimated.
/// </summary>
/// <remarks>
/// <c>stream_max_empty_messages</c> bounds the work on a stream that keeps sending events without
/// text: after that many in a row, reading stops (the stream is still relayed whole).
/// </remarks>
internal sealed class CustomProviderUsageReader(CustomRouteConfig config, UsageRecorder usage) : IUsageReader
{
    // A JSON answer larger than this is relayed but not read for its completion text.
    private const int MaxJsonBytes = 8 << 20;

    private readonly ArrayBufferWriter<byte> _json = new();
    private bool _tooLarge;
    private bool _ended;
    private int _emptyInARow;

    public void ReadChunk(ReadOnlySpan<byte> chunk)
    {
        if (_tooLarge || _json.WrittenCount + chunk.Length > MaxJsonBytes)
        {
            _tooLarge = true;
            return;
        }

        _json.Write(chunk);
    }

    public void Complete()
    {
        if (!_tooLarge && CustomProviderJsonPath.Text(_json.WrittenSpan, config.ResponseCompletionLocation) is { } text)
        {
            usage.AddText(text);
        }
    }

    public bool ReadEvent(ReadOnlySpan<byte> sseEvent)
    {
        if (_ended)
        {
            return false;
        }

        var found = false;
        foreach (var range in sseEvent.Split((byte)'\n'))
        {
            var line = sseEvent[range].TrimEnd((byte)'\r');
            if (!line.StartsWith("data:"u8))
            {
                continue;
            }

            var payload = line[5..].Trim((byte)' ');
            if (config.StreamEndWord is { Length: > 0 } endWord && System.Text.Encoding.UTF8.GetString(payload) == endWord)
            {
                _ended = true;
                return false;
            }

            if (CustomProviderJsonPath.Text(payload, config.StreamResponseCompletionLocation) is { Length: > 0 } text)
            {
                usage.AddText(text);
                found = true;
            }
        }

        _emptyInARow = found ? 0 : _emptyInARow + 1;
        if (config.StreamMaxEmptyMessages is > 0 and var max && _emptyInARow > max)
        {
            _ended = true;
        }

        return false;
    }
}
