using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// The gzip form of a queue message (RFC 1952, <see cref="GZipStream"/>). A message is gzip exactly
/// when it starts with the magic bytes 0x1f 0x8b: JSON text cannot start with either.
/// </summary>
internal static class UsageGzip
{
    /// <summary>
    /// The most a message may inflate to. The encoder stays under <see cref="UsageBatchEncoder.MaxInflatedBytes"/>;
    /// the headroom is for other producers, and the cap keeps a gzip bomb (1,000:1) from exhausting memory.
    /// </summary>
    public const int MaxInflatedBytes = 32 * 1024 * 1024;

    public static bool IsGzip(ReadOnlySpan<byte> body) => body.Length >= 2 && body[0] == 0x1f && body[1] == 0x8b;

    /// <summary>Writes the three parts, in order, as one gzip member into <paramref name="output"/> (emptied first).</summary>
    public static void Compress(MemoryStream output, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> events, ReadOnlySpan<byte> suffix)
    {
        output.SetLength(0);
        using var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true);
        gzip.Write(prefix);
        gzip.Write(events);
        gzip.Write(suffix);
    }

    /// <summary>Inflates <paramref name="body"/>; false and why when it is corrupt or inflates to more than <paramref name="maxBytes"/>.</summary>
    public static bool TryInflate(ReadOnlyMemory<byte> body, int maxBytes, out ReadOnlyMemory<byte> inflated, out string? error)
    {
        inflated = default;
        var segment = MemoryMarshal.TryGetArray(body, out var array) ? array : new ArraySegment<byte>(body.ToArray());
        using var input = new MemoryStream(segment.Array!, segment.Offset, segment.Count, writable: false);
        using var gzip = new GZipStream(input, CompressionMode.Decompress);
        var buffer = new byte[Math.Min(maxBytes + 1, Math.Max(4096, body.Length * 8))];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (length > maxBytes)
                    {
                        error = $"the gzip body inflates to more than {maxBytes:N0} bytes (the ingest's limit)";
                        return false;
                    }

                    Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1L, buffer.Length * 2L));
                }

                var read = gzip.Read(buffer, length, buffer.Length - length);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (InvalidDataException ex)
        {
            error = "the gzip body is corrupt: " + ex.Message;
            return false;
        }

        // The stream ends quietly where a truncated body ends; the trailer's ISIZE (RFC 1952: the length
        // mod 2^32 of the single member we write) tells a whole body from a cut one.
        var size = body.Length >= 18 ? BinaryPrimitives.ReadUInt32LittleEndian(body.Span[^4..]) : uint.MaxValue;
        if (size != (uint)length)
        {
            error = $"the gzip body is truncated or corrupt: it inflated to {length:N0} bytes, its trailer says {size:N0}";
            return false;
        }

        error = null;
        inflated = buffer.AsMemory(0, length);
        return true;
    }
}
