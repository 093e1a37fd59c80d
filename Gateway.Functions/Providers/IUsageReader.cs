namespace Gateway.Functions.Providers;

/// <summary>Reads usage from a response as it is relayed, into the request's <see cref="Pipeline.UsageRecorder"/>.</summary>
internal interface IUsageReader
{
    /// <summary>A chunk of a non-streamed body, in order.</summary>
    void ReadChunk(ReadOnlySpan<byte> chunk);

    /// <summary>The non-streamed body has ended.</summary>
    void Complete();

    /// <summary>
    /// One server-sent event, blank line included. Returns true when the event is a usage-only
    /// chunk, which the relay hides when the gateway (not the client) asked for it.
    /// </summary>
    bool ReadEvent(ReadOnlySpan<byte> sseEvent);
}
