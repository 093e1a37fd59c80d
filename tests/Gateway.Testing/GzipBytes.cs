using System.IO.Compression;

namespace Gateway.Testing;

/// <summary>Gzip written and read independently of the code under test, for tests of compressed usage messages.</summary>
public static class GzipBytes
{
    public static byte[] Compress(byte[] data, CompressionLevel level = CompressionLevel.Fastest)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, level))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }

    public static byte[] Inflate(ReadOnlyMemory<byte> body)
    {
        using var gzip = new GZipStream(new MemoryStream(body.ToArray()), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }
}
