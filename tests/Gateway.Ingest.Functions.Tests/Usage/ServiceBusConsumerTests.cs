using System.Text.Json;
using Gateway.Domain.Usage.Publishing;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;
using Gateway.Testing.ServiceBus;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>
/// The Service Bus transport and the standalone Service Bus consumer against the loopback fake that
/// enforces the REST contract (SAS, batch format, 256 KiB per request, peek-lock, dead-lettering).
/// </summary>
public sealed class ServiceBusConsumerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly IngestHost _host = new();
    private FakeServiceBusServer _serviceBus = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _serviceBus = await FakeServiceBusServer.StartAsync();
        _serviceBus.CreateQueue(_host.QueueName, maxDeliveryCount: 3, lockDuration: TimeSpan.FromSeconds(5));
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _serviceBus.DisposeAsync();
    }

    [Fact]
    public async Task Transport_Batch_SendsOneRequestOfOneEnvelopeWhoseMessageIdIsTheBatchId()
    {
        var app = await _host.StartAsync(Settings(consumer: false));
        var messages = Enumerable.Range(0, 10).Select(_ => IngestHost.ChatEvent("key-sb")).ToList();

        await app.Services.GetRequiredService<IUsageEventTransport>().SendBatchAsync(messages, CancellationToken.None);

        var queued = Assert.Single(_serviceBus.GetMessages(_host.QueueName));
        Assert.Single(_serviceBus.Requests, r => r.Method == "POST" && r.Header("Content-Type") == "application/vnd.microsoft.servicebus.json");
        var batch = UsageBatchDecoder.Decode(queued.Body);
        Assert.Null(batch.Error);
        Assert.Equal(batch.BatchId, queued.MessageId);
        Assert.Equal(messages.Select(m => m.EventId), batch.Events.Select(m => m.EventId));
        Assert.Empty(batch.Rejected);
    }

    [Fact]
    public async Task Transport_ManyLargeEvents_StayWithinTheRequestLimit()
    {
        var app = await _host.StartAsync(Settings(consumer: false));
        // Quotes double in the batch's JSON string bodies: the worst case for the size accounting.
        var messages = Enumerable.Range(0, 6).Select(_ =>
        {
            var m = IngestHost.ChatEvent("key-sb-large");
            m.CompletionText = new string('"', 60_000);
            return m;
        }).ToList();
        messages.Add(WithCompletion(IngestHost.ChatEvent("key-sb-large"), new string('"', 200_000)));

        await app.Services.GetRequiredService<IUsageEventTransport>().SendBatchAsync(messages, CancellationToken.None);

        Assert.DoesNotContain(_serviceBus.Requests, r => r.StatusCode == 413);
        var queued = _serviceBus.GetMessages(_host.QueueName);
        Assert.True(queued.Count > 1, $"the large events were split over several messages ({queued.Count})");
        var decoded = queued.Select(q => UsageBatchDecoder.Decode(q.Body)).ToList();
        Assert.All(decoded, d => Assert.Null(d.Error));
        var events = decoded.SelectMany(d => d.Events).ToList();
        Assert.Equal(messages.Select(m => m.EventId).Order(), events.Select(e => e.EventId).Order());
        var claimed = Assert.Single(events, e => e.ClaimCheck is not null);
        Assert.Equal(messages[^1].EventId, claimed.EventId);
    }

    [Fact]
    public async Task Consumer_Events_AreStoredChargedAndCompleted()
    {
        var app = await _host.StartAsync(Settings(consumer: true));
        var messages = Enumerable.Range(0, 20).Select(_ => IngestHost.ChatEvent("key-sb-consumer")).ToList();
        messages.Add(WithCompletion(IngestHost.ChatEvent("key-sb-consumer"), new string('x', 300_000)));

        await app.Services.GetRequiredService<IUsageEventTransport>().SendBatchAsync(messages, CancellationToken.None);

        await Eventually.AssertAsync(() => _host.CountEventsAsync().Result == 21, Patience, "every event is stored");
        await Eventually.AssertAsync(() => _serviceBus.GetMessages(_host.QueueName).Count == 0, Patience, "every message is completed");
        Assert.Equal(21 * IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-sb-consumer"));
    }

    [Fact]
    public async Task Consumer_SameEventTwice_OneRowOneCharge()
    {
        var app = await _host.StartAsync(Settings(consumer: true));
        var message = IngestHost.ChatEvent("key-sb-dup");

        await app.Services.GetRequiredService<IUsageEventTransport>().SendBatchAsync([message, message], CancellationToken.None);

        await Eventually.AssertAsync(() => _serviceBus.GetMessages(_host.QueueName).Count == 0, Patience, "both copies are completed");
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-sb-dup"));
    }

    [Fact]
    public async Task Consumer_MalformedMessage_IsAbandonedUntilTheBrokerDeadLettersIt()
    {
        await _host.StartAsync(Settings(consumer: true));
        var app = await _host.StartAsync(Settings(consumer: false));
        var clients = app.Services.GetRequiredService<UsageQueueClients>();

        await clients.ServiceBus.SendAsync(new Gateway.Domain.Queues.ServiceBus.ServiceBusRestMessage("""{"schemaVersion":1,"keyId":"k"}""") { MessageId = "bad-1" });

        await Eventually.AssertAsync(() => _serviceBus.GetDeadLetteredMessages(_host.QueueName).Count == 1, Patience, "the malformed message is dead-lettered");
        var dead = Assert.Single(_serviceBus.GetDeadLetteredMessages(_host.QueueName));
        Assert.Equal("bad-1", dead.MessageId);
        Assert.Equal(0, await _host.CountEventsAsync());
    }

    [Fact]
    public async Task Consumer_KilledHoldingTheLock_RedeliveryAfterTheLockExpiresChargesOnce()
    {
        var first = await _host.StartAsync(Settings(consumer: false));
        var message = IngestHost.ChatEvent("key-sb-killed");
        await first.Services.GetRequiredService<IUsageEventTransport>().SendBatchAsync([message], CancellationToken.None);
        var clients = first.Services.GetRequiredService<UsageQueueClients>();
        var locked = await clients.ServiceBus.ReceiveAsync(TimeSpan.FromSeconds(1));
        await first.Services.GetRequiredService<Gateway.Domain.Usage.Ingest.UsageIngestor>().IngestAsync(locked!.Body, CancellationToken.None);
        await first.DisposeAsync(); // died holding the lock: no complete

        await _host.StartAsync(Settings(consumer: true));

        await Eventually.AssertAsync(() => _serviceBus.GetMessages(_host.QueueName).Count == 0, Patience, "the redelivery is completed");
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-sb-killed"));
    }

    private Dictionary<string, string?> Settings(bool consumer)
    {
        var settings = _host.Settings(consumer);
        settings["UsageTransport"] = "ServiceBus";
        settings["UsageServiceBus"] = _serviceBus.ConnectionString;
        settings["UsageServiceBus:endpoint"] = _serviceBus.HttpEndpoint.ToString();
        settings["UsageConsumer:ReceiveWait"] = "00:00:01";
        settings["UsageConsumer:Concurrency"] = "4";
        return settings;
    }

    private static Gateway.Domain.Usage.UsageEventMessage WithCompletion(Gateway.Domain.Usage.UsageEventMessage message, string text)
    {
        message.CompletionText = text;
        return message;
    }
}
