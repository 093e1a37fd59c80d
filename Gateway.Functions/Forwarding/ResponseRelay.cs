using System.Buffers;
using Gateway.Domain.Usage;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// Copies an upstream response body to the client as it arrives, tapping it for usage on the way:
/// server-sent events one event at a time (each flushed at once), anything else chunk by chunk.
/// Memory is bounded by the largest single event, never by the body.
/// </summary>
internal static class ResponseRelay
{
    private const int ChunkSize = 16 * 1024;

    // An event larger than this is relayed raw, untapped, rather than buffered further.
    private const int MaxEventBytes = 8 << 20;

    /// <summary>What a relay saw: the bytes it delivered and, when asked, a bounded copy of them.</summary>
    public sealed class Result
    {
        public long BytesDelivered { get; set; }

        public MemoryStream? Copy { get; set; }
    }

    public static async Task CopyAsync(Stream upstream, Stream client, JsonUsageTap? tap, UsageRecorder usage, Result result, int copyLimit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            int read;
            while ((read = await upstream.ReadAsync(buffer, cancellationToken)) > 0)
            {
                await client.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                result.BytesDelivered += read;
                tap?.Append(buffer.AsSpan(0, read), isFinal: false);
                KeepCopy(result, buffer.AsSpan(0, read), copyLimit);
            }

            if (tap is not null)
            {
                tap.Append([], isFinal: true);
                usage.Add(tap);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Relays <c>text/event-stream</c> event by event. With <paramref name="hideUsageChunk"/>, the
    /// OpenAI usage-only chunk (<c>choices: []</c>) that the gateway asked for on the client's
    /// behalf is read for usage and not delivered.
    /// </summary>
    public static async Task CopyEventsAsync(Stream upstream, HttpResponse client, bool hideUsageChunk, UsageRecorder usage, Result result, int copyLimit, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize * 4);
        var tap = new JsonUsageTap();
        var start = 0;
        var end = 0;
        var raw = false;
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
                        raw = true;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, end).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }

                if (raw)
                {
                    // Give up on event boundaries: deliver what is buffered and copy the rest as is.
                    await client.Body.WriteAsync(buffer.AsMemory(start, end - start), cancellationToken);
                    result.BytesDelivered += end - start;
                    await CopyAsync(upstream, client.Body, null, usage, result, copyLimit, cancellationToken);
                    return;
                }

                var read = await upstream.ReadAsync(buffer.AsMemory(end), cancellationToken);
                if (read == 0)
                {
                    if (end > start)
                    {
                        // A last event without its blank line: deliver it as it came.
                        await DeliverAsync(client, buffer.AsMemory(start, end - start), result, copyLimit, cancellationToken);
                    }

                    await client.Body.FlushAsync(cancellationToken);
                    return;
                }

                end += read;
                var delivered = false;
                while (FindEventEnd(buffer.AsSpan(start, end - start)) is var length and > 0)
                {
                    var evt = buffer.AsMemory(start, length);
                    start += length;
                    tap.Reset();
                    TapEvent(evt.Span, tap);
                    usage.Add(tap);
                    if (hideUsageChunk && tap.IsUsageOnlyChunk)
                    {
                        continue;
                    }

                    await DeliverAsync(client, evt, result, copyLimit, cancellationToken);
                    delivered = true;
                }

                if (delivered)
                {
                    await client.Body.FlushAsync(cancellationToken);
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

    private static async ValueTask DeliverAsync(HttpResponse client, ReadOnlyMemory<byte> bytes, Result result, int copyLimit, CancellationToken cancellationToken)
    {
        await client.Body.WriteAsync(bytes, cancellationToken);
        result.BytesDelivered += bytes.Length;
        KeepCopy(result, bytes.Span, copyLimit);
    }

    private static void KeepCopy(Result result, ReadOnlySpan<byte> bytes, int limit)
    {
        if (result.Copy is { } copy && copy.Length < limit)
        {
            copy.Write(bytes[..(int)Math.Min(bytes.Length, limit - copy.Length)]);
        }
    }

    // Length of the first complete event (up to and including its blank line), or 0.
    private static int FindEventEnd(ReadOnlySpan<byte> data)
    {
        for (var i = 0; i < data.Length - 1; i++)
        {
            if (data[i] == (byte)'\n')
            {
                if (data[i + 1] == (byte)'\n')
                {
                    return i + 2;
                }

                if (data[i + 1] == (byte)'\r' && i + 2 < data.Length && data[i + 2] == (byte)'\n')
                {
                    return i + 3;
                }
            }
        }

        return 0;
    }

    // Feeds the event's data lines (the JSON payload) to the tap; "[DONE]" and comments are skipped.
    private static void TapEvent(ReadOnlySpan<byte> evt, JsonUsageTap tap)
    {
        while (evt.Length > 0)
        {
            var newline = evt.IndexOf((byte)'\n');
            var line = newline < 0 ? evt : evt[..newline];
            evt = newline < 0 ? [] : evt[(newline + 1)..];
            if (line.Length > 0 && line[^1] == (byte)'\r')
            {
                line = line[..^1];
            }

            if (line.StartsWith("data:"u8))
            {
                var payload = line[5..];
                if (payload.Length > 0 && payload[0] == (byte)' ')
                {
                    payload = payload[1..];
                }

                if (payload.Length > 0 && payload[0] == (byte)'{')
                {
                    tap.Append(payload, isFinal: false);
                }
            }
        }

        tap.Append([], isFinal: true);
    }
}
