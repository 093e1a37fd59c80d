using System.Buffers;
using Gateway.Functions.Forwarding;

namespace Gateway.Functions.Routing;

/// <summary>
/// Reads the first bytes of an answer before anything is sent to the client, so that an upstream
/// that fails after its headers but before its first byte (a stream cut or stalled at once) can
/// still be failed over; the bytes read are handed on in front of the rest of the body.
/// </summary>
internal static class FirstBytePeek
{
    private const int PeekBytes = 4096;

    /// <summary>
    /// The body to relay, the bytes read in front of the rest (the response's content itself is left
    /// as it is: its headers stay the upstream's); null when the upstream failed or stalled before
    /// its first byte. An empty body counts as answered.
    /// </summary>
    public static async ValueTask<Stream?> TryAsync(HttpResponseMessage response, ForwardTimeouts timeouts, TimeSpan idleTimeout, CancellationToken clientAborted)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(timeouts);

        // Pooled: the bytes live only until the relay's first read (or the try is let go).
        var buffer = ArrayPool<byte>.Shared.Rent(PeekBytes);
        try
        {
            timeouts.Arm(idleTimeout);
            var body = await response.Content.ReadAsStreamAsync(timeouts.Token);
            var read = await body.ReadAsync(buffer.AsMemory(0, PeekBytes), timeouts.Token);
            return new PrefixedStream(buffer, read, body);
        }
        catch (OperationCanceledException) when (!clientAborted.IsCancellationRequested)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !clientAborted.IsCancellationRequested)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return null;
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
    }

    /// <summary>The peeked bytes, then the rest of the upstream body; disposing it disposes the upstream body.</summary>
    private sealed class PrefixedStream(byte[] buffer, int length, Stream rest) : ReadOnlyStream
    {
        private byte[]? _buffer = buffer;
        private int _offset;

        public override ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
        {
            if (_buffer is not { } prefix || _offset == length)
            {
                // Not async: the relay's reads go straight to the upstream body once the prefix is out.
                ReturnBuffer();
                return rest.ReadAsync(destination, cancellationToken);
            }

            var count = Math.Min(destination.Length, length - _offset);
            prefix.AsSpan(_offset, count).CopyTo(destination.Span);
            _offset += count;
            return ValueTask.FromResult(count);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                ReturnBuffer();
                rest.Dispose();
            }

            base.Dispose(disposing);
        }

        private void ReturnBuffer()
        {
            if (_buffer is { } prefix)
            {
                _buffer = null;
                ArrayPool<byte>.Shared.Return(prefix);
            }
        }
    }
}
