using System.Buffers;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// Copies an upstream response body to the client as it arrives, tapping it for usage on the way:
/// server-sent events one event at a time (each flushed at once), anything else chunk by chunk.
/// Memory is bounded by the largest single event, never by the body. The idle timeout is re-armed
/// before every read.
/// </summary>
internal static class ResponseRelay
{
    // YARP's StreamCopier uses 64 KiB; 16 KiB keeps a pooled array per request small and is
    // larger than nearly every completion chunk.
    private const int ChunkSize = 16 * 1024;

    // An event larger than this is relayed raw, untapped, rather than buffered further.
    private const int MaxEventBytes = 8 << 20;

    public static async Task CopyAsync(Stream upstream, Stream client, RelayOptions relay, ForwardTimeouts timeouts, int copyLimit)
    {
        if (!relay.Chain.IsEmpty)
        {
            await CopyTransformedAsync(upstream, client, relay, timeouts, copyLimit);
            return;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await ReadAsync(upstream, buffer.AsMemory(), relay, timeouts)) > 0)
            {
                await client.WriteAsync(buffer.AsMemory(0, read), timeouts.Token);
                relay.BytesDelivered += read;
                relay.Usage?.ReadChunk(buffer.AsSpan(0, read));
                relay.Tap(buffer.AsSpan(0, read));
                KeepCopy(relay, buffer.AsSpan(0, read), copyLimit);
            }

            relay.Usage?.Complete();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>A non-streamed body that transforms rewrite: read whole (bounded), usage read from the upstream's bytes, then delivered rewritten.</summary>
    private static async Task CopyTransformedAsync(Stream upstream, Stream client, RelayOptions relay, ForwardTimeouts timeouts, int copyLimit)
    {
        var received = new ArrayBufferWriter<byte>(ChunkSize);
        int read;
        while ((read = await ReadAsync(upstream, received.GetMemory(ChunkSize), relay, timeouts)) > 0)
        {
            relay.Usage?.ReadChunk(received.GetSpan()[..read]);
            received.Advance(read);
            if (received.WrittenCount > relay.MaxTransformedBodyBytes)
            {
                throw new ResponseTooLargeException(relay.MaxTransformedBodyBytes);
            }
        }

        relay.Usage?.Complete();
        var output = new ArrayBufferWriter<byte>(received.WrittenCount);
        relay.Chain.Body(received.WrittenSpan, relay.Status, output);
        await client.WriteAsync(output.WrittenMemory, timeouts.Token);
        relay.BytesDelivered += output.WrittenCount;
        relay.Tap(output.WrittenSpan);
        KeepCopy(relay, output.WrittenSpan, copyLimit);
    }

    /// <summary>
    /// Relays <c>text/event-stream</c> event by event. With <see cref="RelayOptions.HideUsageChunk"/>,
    /// the OpenAI usage-only chunk (<c>choices: []</c>) that the gateway asked for on the client's
    /// behalf is read for usage and not delivered.
    /// </summary>
    public static async Task CopyEventsAsync(Stream upstream, HttpResponse client, RelayOptions relay, ForwardTimeouts timeouts, int copyLimit)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize * 4);
        var start = 0;
        var end = 0;
        try
        {
            while (true)
            {
                if (end == buffer.Length)
                {
                    if (start > 0)
                    {
                        buffer.AsSpan(start, end - start).CopyTo(buffer);
                        end -= start;
                        start = 0;
                    }
                    else if (buffer.Length >= MaxEventBytes)
                    {
                        // Give up on event boundaries: deliver what is buffered and copy the rest as is.
                        await DeliverAsync(client, buffer.AsMemory(start, end - start), relay, copyLimit, timeouts.Token);
                        var raw = new RelayOptions { Style = relay.Style, IdleTimeout = relay.IdleTimeout, Copy = relay.Copy };
                        await CopyAsync(upstream, client.Body, raw, timeouts, copyLimit);
                        relay.BytesDelivered += raw.BytesDelivered;
                        return;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                var read = await ReadAsync(upstream, buffer.AsMemory(end), relay, timeouts);
                if (read == 0)
                {
                    if (end > start)
                    {
                        // A last event without its blank line: deliver it as it came.
                        await DeliverEventAsync(client, buffer.AsMemory(start, end - start), relay, copyLimit, timeouts.Token);
                    }

                    if (!relay.Chain.IsEmpty)
                    {
                        var held = new ArrayBufferWriter<byte>();
                        relay.Chain.Complete(held);
                        await DeliverAsync(client, held.WrittenMemory, relay, copyLimit, timeouts.Token);
                    }

                    await client.Body.FlushAsync(timeouts.Token);
                    return;
                }

                end += read;
                var delivered = false;
                while (FindEventEnd(buffer.AsSpan(start, end - start)) is var length and > 0)
                {
                    var evt = buffer.AsMemory(start, length);
                    start += length;
                    var usageOnly = relay.Usage?.ReadEvent(evt.Span) ?? false;
                    if (relay.HideUsageChunk && usageOnly)
                    {
                        continue;
                    }

                    await DeliverEventAsync(client, evt, relay, copyLimit, timeouts.Token);
                    delivered = true;
                }

                if (delivered)
                {
                    await client.Body.FlushAsync(timeouts.Token);
                }

                if (start == end)
                {
                    start = end = 0;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static ValueTask<int> ReadAsync(Stream upstream, Memory<byte> into, RelayOptions relay, ForwardTimeouts timeouts)
    {
        timeouts.Arm(relay.IdleTimeout);
        return upstream.ReadAsync(into, timeouts.Token);
    }

    private static ValueTask DeliverEventAsync(HttpResponse client, ReadOnlyMemory<byte> sseEvent, RelayOptions relay, int copyLimit, CancellationToken cancellationToken)
    {
        if (relay.Chain.IsEmpty)
        {
            return DeliverAsync(client, sseEvent, relay, copyLimit, cancellationToken);
        }

        var output = new ArrayBufferWriter<byte>(sseEvent.Length);
        relay.Chain.Event(sseEvent.Span, output);
        return DeliverAsync(client, output.WrittenMemory, relay, copyLimit, cancellationToken);
    }

    private static async ValueTask DeliverAsync(HttpResponse client, ReadOnlyMemory<byte> bytes, RelayOptions relay, int copyLimit, CancellationToken cancellationToken)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        await client.Body.WriteAsync(bytes, cancellationToken);
        relay.BytesDelivered += bytes.Length;
        relay.Tap(bytes.Span);
        KeepCopy(relay, bytes.Span, copyLimit);
    }

    private static void KeepCopy(RelayOptions relay, ReadOnlySpan<byte> bytes, int limit)
    {
        if (relay.Copy is { } copy && copy.Length < limit)
        {
            copy.Write(bytes[..(int)Math.Min(bytes.Length, limit - copy.Length)]);
        }
    }

    // Length of the first complete event (up to and including its blank line), or 0.
    internal static int FindEventEnd(ReadOnlySpan<byte> data)
    {
        var offset = 0;
        while (true)
        {
            var newline = data[offset..].IndexOf((byte)'\n');
            if (newline < 0)
            {
                return 0;
            }

            var i = offset + newline;
            if (i + 1 >= data.Length)
            {
                return 0;
            }

            if (data[i + 1] == (byte)'\n')
            {
                return i + 2;
            }

            if (data[i + 1] == (byte)'\r' && i + 2 < data.Length && data[i + 2] == (byte)'\n')
            {
                return i + 3;
            }

            offset = i + 1;
        }
    }
}
