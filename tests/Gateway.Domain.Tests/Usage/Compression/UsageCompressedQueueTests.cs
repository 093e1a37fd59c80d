using Azure.Storage.Queues;
using Gateway.Domain.Tests.Usage.Publishing;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;

namespace Gateway.Domain.Tests.Usage.Compression;

/// <summary>The Storage queue transport as the proxy wires it, through a private Azurite, read back with the ingest's decoder.</summary>
public sealed class UsageCompressedQueueTests(PrivateAzurite storage) : IAsyncLifetime, IClassFixture<PrivateAzurite>
{
    private readonly string _spill = Path.Combine(Path.GetTempPath(), "gateway-spill-test-" + Guid.NewGuid().ToString("n"));
    private readonly List<PublisherHarness> _harnesses = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var harness in _harnesses)
        {
            await harness.Clients.Queue.DeleteIfExistsAsync();
            await harness.DisposeAsync();
        }

        if (Directory.Exists(_spill))
        {
            Directory.Delete(_spill, recursive: true);
        }
    }

    [Fact]
    public async Task StorageQueue_DefaultGzip_HundredsOfEventsPerMessageAllReadByTheIngestDecoder()
    {
        var harness = Harness(compression: null);
        var events = Enumerable.Range(0, 3_000).Select(CompressionEvents.BenchmarkLike).ToList();

        await harness.Transport.SendBatchAsync(events, CancellationToken.None);

        var messages = await ReceiveAsync(harness.QueueName);
        Assert.All(messages, m =>
        {
            Assert.True(m.Body[0] == 0x1f && m.Body[1] == 0x8b, "gzip on the wire");
            Assert.InRange(m.Body.Length, 1, UsageMessageCodec.StorageQueueMaxCompressedBodyBytes);
            Assert.InRange(m.Base64Chars, 1, 64 * 1024);
            Assert.Null(m.Decoded.Error);
            Assert.Empty(m.Decoded.Rejected);
        });
        // 3,000 of these events took 35 uncompressed messages; at 200 or more per message, at most 15.
        Assert.InRange(messages.Count, 2, 15);
        Assert.True(messages.Count(m => m.Decoded.Events.Count < 200) <= 1, string.Join(",", messages.Select(m => m.Decoded.Events.Count)));
        var received = messages.SelectMany(m => m.Decoded.Events).ToList();
        Assert.Equal(events.Select(e => e.EventId).Order(), received.Select(e => e.EventId).Order());
        Assert.All(messages, m => Assert.Equal(m.Decoded.Events.Select(e => e.EventId).Order(), m.Decoded.Events.Select(e => e.EventId))); // in order within a message
        Assert.Equal(5, received.Single(e => e.EventId == events[42].EventId).Usage!.PromptTokens);
    }

    [Fact]
    public async Task StorageQueue_CompressionNone_UncompressedEnvelopesAsBefore()
    {
        var harness = Harness(compression: "none");
        var events = Enumerable.Range(0, 300).Select(CompressionEvents.BenchmarkLike).ToList();

        await harness.Transport.SendBatchAsync(events, CancellationToken.None);

        var messages = await ReceiveAsync(harness.QueueName);
        Assert.Equal(4, messages.Count); // 87 + 87 + 87 + 39
        Assert.All(messages, m =>
        {
            Assert.Equal((byte)'{', m.Body[0]);
            Assert.InRange(m.Body.Length, 1, UsageMessageCodec.StorageQueueMaxBodyBytes);
            Assert.Equal(CompressionEvents.Envelope(m.Decoded.BatchId!, events.Where(e => m.Decoded.Events.Any(d => d.EventId == e.EventId))), System.Text.Encoding.UTF8.GetString(m.Body));
        });
        Assert.Equal(events.Select(e => e.EventId).Order(), messages.SelectMany(m => m.Decoded.Events).Select(e => e.EventId).Order());
    }

    private PublisherHarness Harness(string? compression)
    {
        var harness = PublisherHarness.Create(storage.ConnectionString, _spill, compression is null ? null : new() { ["UsageTransport:Compression"] = compression });
        _harnesses.Add(harness);
        return harness;
    }

    private async Task<List<Received>> ReceiveAsync(string queueName)
    {
        var queue = new QueueClient(storage.ConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var received = new List<Received>();
        while ((await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10))).Value is { Length: > 0 } messages)
        {
            received.AddRange(messages.Select(m => new Received(m.Body.ToArray(), m.MessageText.Length, UsageBatchDecoder.Decode(m.Body.ToMemory()))));
        }

        return received;
    }

    private sealed record Received(byte[] Body, int Base64Chars, DecodedUsageBatch Decoded);
}
