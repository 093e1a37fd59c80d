using System.Text;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;

namespace Gateway.Domain.Tests.Usage.Compression;

/// <summary>The ingest's decoder: gzip bodies, the uncompressed forms older proxies sent, and gzip that must not be trusted.</summary>
public sealed class UsageCompressedDecodeTests
{
    [Fact]
    public void Decode_UncompressedBatchAndSingleEvent_ReadAsBefore()
    {
        var events = Enumerable.Range(0, 3).Select(CompressionEvents.BenchmarkLike).ToList();
        var batch = Encoding.UTF8.GetBytes(CompressionEvents.Envelope("b-1", events));

        var decoded = UsageBatchDecoder.Decode(batch);
        var single = UsageBatchDecoder.Decode(UsageMessageCodec.Serialize(events[0]));

        Assert.Null(decoded.Error);
        Assert.Equal("b-1", decoded.BatchId);
        Assert.Equal(events.Select(e => e.EventId), decoded.Events.Select(e => e.EventId));
        Assert.Equal(events[0].EventId, Assert.Single(single.Events).EventId);
    }

    [Fact]
    public void Decode_GzipOfABatchAndOfASingleEvent_SameAsTheirJson()
    {
        var events = Enumerable.Range(0, 3).Select(CompressionEvents.BenchmarkLike).ToList();
        var json = Encoding.UTF8.GetBytes(CompressionEvents.Envelope("b-2", events));

        var decoded = UsageBatchDecoder.Decode(GzipBytes.Compress(json));
        var single = UsageBatchDecoder.Decode(GzipBytes.Compress(UsageMessageCodec.Serialize(events[1])));

        Assert.Null(decoded.Error);
        Assert.Equal("b-2", decoded.BatchId);
        Assert.Equal(events.Select(e => e.EventId), decoded.Events.Select(e => e.EventId));
        Assert.Equal(events[1].EventId, Assert.Single(single.Events).EventId);
    }

    [Fact]
    public void Decode_CorruptGzip_UnreadableWithTheReason()
    {
        var body = GzipBytes.Compress(Encoding.UTF8.GetBytes(CompressionEvents.Envelope("b-3", [CompressionEvents.BenchmarkLike(1)])));
        body[^6] ^= 0xff; // the CRC-32 in the trailer no longer matches

        var decoded = UsageBatchDecoder.Decode(body);
        var garbage = UsageBatchDecoder.Decode(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0xff, 0x01, 0x02, 0x03 });

        Assert.StartsWith("the gzip body is corrupt", decoded.Error);
        Assert.Empty(decoded.Events);
        Assert.StartsWith("the gzip body is", garbage.Error);
    }

    [Fact]
    public void Decode_TruncatedGzip_UnreadableNotAnException()
    {
        var body = GzipBytes.Compress(Encoding.UTF8.GetBytes(CompressionEvents.Envelope("b-4", Enumerable.Range(0, 50).Select(CompressionEvents.BenchmarkLike))));

        var decoded = UsageBatchDecoder.Decode(body.AsMemory(0, body.Length / 2));

        Assert.StartsWith("the gzip body is truncated or corrupt", decoded.Error);
        Assert.Empty(decoded.Events);
    }

    [Fact]
    public void Decode_GzipBomb_UnreadableBeyondTheInflateLimit()
    {
        // 40 MiB of JSON whitespace inside a valid envelope: about 40 KB of gzip.
        var json = new byte[40 * 1024 * 1024];
        Array.Fill(json, (byte)' ');
        "{\"schemaVersion\":2,\"batchId\":\"b\",\"events\":["u8.CopyTo(json);
        "]}"u8.CopyTo(json.AsSpan(json.Length - 2));
        var bomb = GzipBytes.Compress(json, System.IO.Compression.CompressionLevel.SmallestSize);
        Assert.True(bomb.Length < UsageMessageCodec.StorageQueueMaxBodyBytes, $"{bomb.Length} bytes");

        var decoded = UsageBatchDecoder.Decode(bomb);

        Assert.NotNull(decoded.Error);
        Assert.Contains("inflates to more than", decoded.Error, StringComparison.Ordinal);
        Assert.Empty(decoded.Events);
    }
}
