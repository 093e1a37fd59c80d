using System.Buffers;

namespace Gateway.Domain.Caching;

/// <summary>
/// Keeps a copy of the bytes delivered to the client, up to a bound, so that a miss can be stored
/// once the answer is complete. Past the bound the capture gives up (the answer is not cached);
/// memory never exceeds the bound.
/// </summary>
public sealed class ResponseCapture(CachedResponseKind kind, bool streamed, int maxBytes)
{
    private readonly ArrayBufferWriter<byte> _bytes = new(Math.Min(maxBytes, 16 * 1024));

    public CachedResponseKind Kind { get; } = kind;

    public bool Streamed { get; } = streamed;

    /// <summary>The answer grew past the bound; nothing will be stored.</summary>
    public bool Overflowed { get; private set; }

    public int Length => _bytes.WrittenCount;

    public void Append(ReadOnlySpan<byte> delivered)
    {
        if (Overflowed)
        {
            return;
        }

        if (_bytes.WrittenCount + delivered.Length > maxBytes)
        {
            Overflowed = true;
            _bytes.Clear();
            return;
        }

        _bytes.Write(delivered);
    }

    /// <summary>The entry to store, or null when the answer is incomplete, too large or not replayable.</summary>
    public CachedResponse? Complete(int promptTokens, int completionTokens)
    {
        if (Overflowed || _bytes.WrittenCount == 0)
        {
            return null;
        }

        var response = Streamed
            ? StreamAssembler.Assemble(Kind, _bytes.WrittenSpan)
            : ResponseParts.FromJson(Kind, _bytes.WrittenSpan);
        if (response is null)
        {
            return null;
        }

        response.PromptTokens = promptTokens;
        response.CompletionTokens = completionTokens;
        return response;
    }
}
