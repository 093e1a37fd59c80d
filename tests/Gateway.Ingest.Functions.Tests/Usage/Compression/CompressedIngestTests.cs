using System.IO.Compression;
using System.Text.Json;
using Azure.Messaging.ServiceBus;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Publishing;
using Gateway.Domain.Usage.Transport;
using Gateway.Ingest.Functions.Usage;
using Gateway.Testing;
using Gateway.Testing.ServiceBus;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Ingest.Functions.Tests.Usage.Compression;

/// <summary>
/// gzip usage messages (the proxy's default) from the real transports into the ledger and the spend
/// counters, beside the uncompressed messages older proxies left in the queue, and gzip that is
/// corrupt or a decompression bomb: poisoned with its reason, never an exception out of the ingest.
/// </summary>
public sealed class CompressedIngestTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly IngestHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task StorageQueue_GzipMessagesFromTheTransport_FewMessagesEveryEventStoredAndChargedOnce()
    {
        var proxy = await _host.StartAsync();
        var events = Enumerable.Range(0, 600).Select(_ => IngestHost.ChatEvent("key-gzip")).ToList();

        await proxy.Services.GetRequiredService<IUsageEventTransport>().SendBatchAsync(events, CancellationToken.None);

        var queued = (await _host.Queue.PeekMessagesAsync(32)).Value;
        Assert.InRange(queued.Length, 1, 3); // uncompressed, 600 of these events take 8 messages
        Assert.All(queued, m => Assert.Equal([0x1f, 0x8b], m.Body.ToArray()[..2]));
        await _host.StartAsync(_host.Settings(consumer: true));
        await Eventually.AssertAsync(() => _host.CountEventsAsync().Result == 600, Patience, "every event is stored");
        await Eventually.AssertAsync(() => _host.KeyTotalAsync("key-gzip").Result == 600 * IngestHost.ChatEventNanoDollars, Patience, "every event is charged once");
        await Eventually.AssertAsync(() => QueueLength() == 0, Patience, "every message is deleted");
    }

    [Fact]
    public async Task StorageQueue_UncompressedMessagesOfOlderProxiesBesideGzip_AllIngested()
    {
        var proxy = await _host.StartAsync();
        var old = IngestHost.ChatEvent("key-mixed");
        var older = IngestHost.ChatEvent("key-mixed");
        var fresh = Enumerable.Range(0, 20).Select(_ => IngestHost.ChatEvent("key-mixed")).ToList();
        await _host.Queue.SendMessageAsync(new BinaryData(IngestHost.Batch(old)));
        await _host.Queue.SendMessageAsync(new BinaryData(UsageMessageCodec.Serialize(older))); // schema 1: one event per message
        await proxy.Services.GetRequiredService<IUsageEventTransport>().SendBatchAsync(fresh, CancellationToken.None);

        await _host.StartAsync(_host.Settings(consumer: true));

        await Eventually.AssertAsync(() => _host.CountEventsAsync().Result == 22, Patience, "old and new messages are stored");
        Assert.Equal(1, await _host.CountEventsAsync(old.EventId));
        Assert.Equal(1, await _host.CountEventsAsync(older.EventId));
        await Eventually.AssertAsync(() => _host.KeyTotalAsync("key-mixed").Result == 22 * IngestHost.ChatEventNanoDollars, Patience, "every event is charged once");
    }

    [Fact]
    public async Task StorageQueue_CorruptGzip_PoisonedWithTheReasonAndTheBodyAsBase64()
    {
        var settings = _host.Settings(consumer: true);
        settings["UsageConsumer:MaxDequeueCount"] = "2";
        await _host.StartAsync(settings);
        var body = GzipBytes.Compress(IngestHost.Batch(IngestHost.ChatEvent("key-corrupt")));
        body[^6] ^= 0x55; // the trailer's CRC-32

        await _host.Queue.SendMessageAsync(new BinaryData(body));

        await Eventually.AssertAsync(() => PoisonLength().Result == 1, Patience, "the corrupt message is poisoned");
        var poison = JsonDocument.Parse((await _host.PoisonQueue.ReceiveMessageAsync()).Value.Body.ToString()).RootElement;
        Assert.StartsWith("the gzip body is corrupt", poison.GetProperty("reason").GetString());
        Assert.Equal("base64", poison.GetProperty("bodyEncoding").GetString());
        Assert.Equal(body, Convert.FromBase64String(poison.GetProperty("body").GetString()!));
        Assert.Equal(0, QueueLength());
        Assert.Equal(0, await _host.CountEventsAsync());
    }

    [Fact]
    public async Task Ingestor_GzipBomb_UnreadableWithTheReasonNotAnException()
    {
        var app = await _host.StartAsync();
        var json = new byte[64 * 1024 * 1024];
        Array.Fill(json, (byte)' ');
        "{\"schemaVersion\":2,\"batchId\":\"b\",\"events\":["u8.CopyTo(json);
        "]}"u8.CopyTo(json.AsSpan(json.Length - 2));

        var result = await app.Services.GetRequiredService<UsageIngestor>().IngestAsync(GzipBytes.Compress(json, CompressionLevel.SmallestSize), CancellationToken.None, "m-bomb");

        Assert.False(result.IsDone);
        Assert.Contains("inflates to more than", result.Error, StringComparison.Ordinal);
        Assert.Equal(0, await _host.CountEventsAsync());
    }

    [Fact]
    public async Task ServiceBus_GzipFromTheTransport_MarkedGzipAndProcessedToCompletion()
    {
        var settings = _host.Settings(consumer: false);
        settings["UsageTransport"] = "ServiceBus";
        settings["UsageServiceBus"] = "Endpoint=sb://gateway-tests.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==";
        var app = await _host.StartAsync(settings);
        var sender = new RecordingServiceBusSender();
        var events = Enumerable.Range(0, 400).Select(_ => IngestHost.ChatEvent("key-sb-gzip")).ToList();

        await new ServiceBusUsageTransport(sender, app.Services.GetRequiredService<UsageBatchEncoder>(), app.Services.GetRequiredService<UsageQueueClients>()).SendBatchAsync(events, CancellationToken.None);

        var sent = Assert.Single(sender.AllMessages);
        Assert.Equal("gzip", sent.GetRawAmqpMessage().Properties.ContentEncoding);
        Assert.Equal("application/json", sent.ContentType);
        var receiver = new RecordingServiceBusReceiver();
        var processor = ActivatorUtilities.CreateInstance<ServiceBusUsageProcessor>(app.Services);
        await processor.HandleAsync(new ProcessMessageEventArgs(RecordingServiceBusReceiver.Received(sent.Body.ToArray(), sent.MessageId, 1), receiver, CancellationToken.None));
        Assert.Equal(new RecordingServiceBusReceiver.Settlement("Complete", sent.MessageId), Assert.Single(receiver.Settlements));
        Assert.Equal(400, await _host.CountEventsAsync());
        Assert.Equal(400 * IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-sb-gzip"));
    }

    private int QueueLength() => _host.Queue.GetProperties().Value.ApproximateMessagesCount;

    private async Task<int> PoisonLength()
        => (await _host.PoisonQueue.ExistsAsync()).Value ? (await _host.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
}
