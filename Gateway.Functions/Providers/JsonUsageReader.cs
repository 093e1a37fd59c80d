using Gateway.Domain.Usage;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Providers;

/// <summary>
/// Usage in OpenAI's and Anthropic's shapes (<c>usage</c>, <c>message.usage</c>, completion text,
/// OpenAI's usage-only chunk), read by <see cref="JsonUsageTap"/> from bytes in bounded memory.
/// </summary>
internal sealed class JsonUsageReader(UsageRecorder usage) : IUsageReader
{
    private readonly JsonUsageTap _tap = new();

    /// <summary>A reader for JSON and event-stream responses; none for other media (audio, files).</summary>
    public static IUsageReader? For(string? mediaType, UsageRecorder usage)
        => mediaType is not null && (mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || mediaType == "text/event-stream")
            ? new JsonUsageReader(usage)
            : null;

    public void ReadChunk(ReadOnlySpan<byte> chunk) => _tap.Append(chunk, isFinal: false);

    public void Complete()
    {
        _tap.Append([], isFinal: true);
        usage.Add(_tap);
    }

    public bool ReadEvent(ReadOnlySpan<byte> sseEvent)
    {
        _tap.Reset();
        while (sseEvent.Length > 0)
        {
            var newline = sseEvent.IndexOf((byte)'\n');
            var line = newline < 0 ? sseEvent : sseEvent[..newline];
            sseEvent = newline < 0 ? [] : sseEvent[(newline + 1)..];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            // The event's data lines are its JSON payload; "[DONE]" and comments are skipped.
            if (line.StartsWith("data:"u8))
            {
                var payload = line[5..];
                if (payload.Length > 0 && payload[0] == (byte)' ')
                {
                    payload = payload[1..];
                }

                if (payload.Length > 0 && payload[0] == (byte)'{')
                {
                    _tap.Append(payload, isFinal: false);
                }
            }
        }

        _tap.Append([], isFinal: true);
        usage.Add(_tap);
        return _tap.IsUsageOnlyChunk;
    }
}
