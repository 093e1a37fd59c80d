using System.Text;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;

namespace Gateway.Domain.Tests.Usage.Compression;

/// <summary>
/// The gzip packing: every body within the transport's budget whatever the events compress to, all
/// events in order in messages the ingest's decoder reads, and many more events per message.
/// </summary>
public sealed class UsageBatchCompressionTests
{
    public static TheoryData<int> Budgets() => [UsageMessageCodec.StorageQueueMaxBodyBytes, UsageMessageCodec.ServiceBusMaxBodyBytes];

    [Fact]
    public async Task Gzip_BenchmarkLikeEvents_AtLeast200PerStorageMessageWithinTheBudget()
    {
        var events = Enumerable.Range(0, 6_000).Select(CompressionEvents.BenchmarkLike).ToList();

        var batches = await CompressionEvents.Encoder(UsageCompression.Gzip).EncodeAsync(events, UsageMessageCodec.StorageQueueMaxBodyBytes, CancellationToken.None);

        AssertCarriesInOrder(events, batches, UsageMessageCodec.StorageQueueMaxBodyBytes);
        Assert.All(batches, b => Assert.True(b.Body.Span[0] == 0x1f && b.Body.Span[1] == 0x8b, "every message is gzip"));
        // Uncompressed, 48,000 bytes hold 87 of these events; the budget now bounds their gzip.
        Assert.All(batches.SkipLast(1), b => Assert.True(b.EventCount >= 200, $"{b.EventCount} events in a {b.Body.Length}-byte message: " + string.Join(",", batches.Select(x => x.EventCount))));
    }

    [Theory]
    [MemberData(nameof(Budgets))]
    public async Task Gzip_IncompressibleAndMixedEvents_NeverOverTheBudgetAndInOrder(int budget)
    {
        var random = new Random(9);
        var events = new List<UsageEventMessage>();
        var i = 0;
        // Compressible events teach the encoder a small ratio; then text gzip cannot shrink (or grows) arrives.
        events.AddRange(Enumerable.Range(0, 1_500).Select(_ => CompressionEvents.BenchmarkLike(i++)));
        events.AddRange(Enumerable.Range(0, 120).Select(n => CompressionEvents.Random(i++, random, random.Next(200, 6_000), cjk: n % 2 == 0)));
        events.AddRange(Enumerable.Range(0, 500).Select(_ => CompressionEvents.BenchmarkLike(i++)));
        // Single events as large as the budget allows, whose gzip is larger than their JSON.
        var overhead = UsageBatchEncoder.EnvelopeOverhead;
        events.Add(SizedTo(CompressionEvents.Random(i++, random, 100, cjk: true), budget - overhead, random, cjk: true));
        events.Add(SizedTo(CompressionEvents.Random(i++, random, 100, cjk: false), budget - overhead, random, cjk: false));
        events.AddRange(Enumerable.Range(0, 300).Select(_ => CompressionEvents.BenchmarkLike(i++)));

        var batches = await CompressionEvents.Encoder(UsageCompression.Gzip).EncodeAsync(events, budget, CancellationToken.None);

        AssertCarriesInOrder(events, batches, budget);
        // The CJK event at the budget: its gzip is larger than the budget, so it goes as its JSON.
        Assert.Contains(batches, b => b.EventCount == 1 && b.Body.Length == budget && b.Body.Span[0] == (byte)'{');
    }

    [Fact]
    public async Task Gzip_TheJsonInside_IsTheUncompressedEnvelopeOfTheSameEvents()
    {
        var events = Enumerable.Range(0, 2_500).Select(CompressionEvents.BenchmarkLike).ToList();

        var batches = await CompressionEvents.Encoder(UsageCompression.Gzip).EncodeAsync(events, UsageMessageCodec.StorageQueueMaxBodyBytes, CancellationToken.None);

        var next = 0;
        foreach (var batch in batches)
        {
            var expected = CompressionEvents.Envelope(batch.BatchId, events.Skip(next).Take(batch.EventCount));
            Assert.Equal(expected, Encoding.UTF8.GetString(GzipBytes.Inflate(batch.Body)));
            next += batch.EventCount;
        }

        Assert.Equal(events.Count, next);
    }

    [Fact]
    public async Task None_BenchmarkLikeEvents_TodaysGreedyJsonEnvelopes()
    {
        var events = Enumerable.Range(0, 1_000).Select(CompressionEvents.BenchmarkLike).ToList();
        const int budget = UsageMessageCodec.StorageQueueMaxBodyBytes;

        var batches = await CompressionEvents.Encoder(UsageCompression.None).EncodeAsync(events, budget, CancellationToken.None);

        var next = 0;
        foreach (var batch in batches)
        {
            var carried = events.Skip(next).Take(batch.EventCount).ToList();
            Assert.Equal(CompressionEvents.Envelope(batch.BatchId, carried), Encoding.UTF8.GetString(batch.Body.Span));
            next += batch.EventCount;
            if (next < events.Count)
            {
                // Full: the next event would have taken the envelope over the budget.
                Assert.True(batch.Body.Length + 1 + UsageMessageCodec.Serialize(events[next]).Length > budget, $"message of {batch.Body.Length} bytes was not full");
            }
        }

        Assert.Equal(events.Count, next);
        Assert.InRange(batches.Count, 10, 13); // about 87 of these events per uncompressed message
    }

    [Fact]
    public async Task Gzip_ManyTinyEvents_AtMostMaxEventsPerMessage()
    {
        var events = Enumerable.Range(0, 5_000).Select(i => new UsageEventMessage { EventId = "e-" + i, KeyId = "k" }).ToList();

        var batches = await CompressionEvents.Encoder(UsageCompression.Gzip).EncodeAsync(events, UsageMessageCodec.StorageQueueMaxBodyBytes, CancellationToken.None);

        AssertCarriesInOrder(events, batches, UsageMessageCodec.StorageQueueMaxBodyBytes);
        Assert.All(batches, b => Assert.InRange(b.EventCount, 1, UsageBatchEncoder.MaxEventsPerMessage));
        Assert.Contains(batches, b => b.EventCount == UsageBatchEncoder.MaxEventsPerMessage);
    }

    [Fact]
    public async Task Gzip_OneSmallRandomEvent_GoesAsItsJsonWhichIsSmallerThanItsGzip()
    {
        var random = new Random(5);
        var text = new string([.. Enumerable.Range(0, 200).Select(_ => (char)random.Next(0x4E00, 0x9FFF))]);
        var message = new UsageEventMessage { EventId = "e-1", KeyId = text };

        var batch = Assert.Single(await CompressionEvents.Encoder(UsageCompression.Gzip).EncodeAsync([message], UsageMessageCodec.StorageQueueMaxBodyBytes, CancellationToken.None));

        Assert.Equal(CompressionEvents.Envelope(batch.BatchId, [message]), Encoding.UTF8.GetString(batch.Body.Span));
        Assert.True(GzipBytes.Compress(batch.Body.ToArray()).Length >= batch.Body.Length, "gzip would not have been smaller");
        Assert.Equal(message.EventId, Assert.Single(UsageBatchDecoder.Decode(batch.Body).Events).EventId);
    }

    // Pads the metadata with more random text of the same kind until the event's JSON is exactly jsonBytes.
    private static UsageEventMessage SizedTo(UsageEventMessage message, int jsonBytes, Random random, bool cjk)
    {
        // The encoder escapes unassigned code points (\uXXXX): measure by serializing, a hundred characters at a time.
        var metadata = new StringBuilder(message.Metadata![..^1]);
        while (jsonBytes - UsageMessageCodec.Serialize(message).Length > 1_000)
        {
            for (var n = 0; n < 100; n++)
            {
                metadata.Append(cjk ? (char)random.Next(0x4E00, 0x9FFF) : (char)random.Next('0', 'z' + 1));
            }

            message.Metadata = metadata + "\"";
        }

        message.Metadata = metadata + "\"";
        var missing = jsonBytes - UsageMessageCodec.Serialize(message).Length;
        message.Metadata = message.Metadata[..^1] + new string((char)random.Next('0', '9' + 1), missing) + "\"";
        Assert.Equal(jsonBytes, UsageMessageCodec.Serialize(message).Length);
        return message;
    }

    private static void AssertCarriesInOrder(List<UsageEventMessage> events, IReadOnlyList<UsageQueueBatch> batches, int budget)
    {
        Assert.All(batches, b => Assert.InRange(b.Body.Length, 1, budget));
        var decoded = batches.Select(b => (Batch: b, Decoded: UsageBatchDecoder.Decode(b.Body))).ToList();
        Assert.All(decoded, d =>
        {
            Assert.Null(d.Decoded.Error);
            Assert.Empty(d.Decoded.Rejected);
            Assert.Equal(d.Batch.BatchId, d.Decoded.BatchId);
            Assert.Equal(d.Batch.EventCount, d.Decoded.Events.Count);
        });
        Assert.Equal(batches.Count, batches.Select(b => b.BatchId).Distinct().Count());
        Assert.Equal(events.Select(e => e.EventId), decoded.SelectMany(d => d.Decoded.Events).Select(e => e.EventId));
        Assert.Equal(events.Select(e => e.Metadata), decoded.SelectMany(d => d.Decoded.Events).Select(e => e.Metadata));
    }
}
