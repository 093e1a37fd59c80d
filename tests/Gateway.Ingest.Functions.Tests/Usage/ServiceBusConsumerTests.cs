using Azure.Messaging.ServiceBus;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Transport;
using Gateway.Ingest.Functions.Usage;
using Gateway.Testing;
using Gateway.Testing.ServiceBus;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>
/// Our side of the Service Bus transport, with the SDK mocked (<see cref="RecordingServiceBusSender"/>,
/// <see cref="RecordingServiceBusReceiver"/>, <see cref="ServiceBusModelFactory"/>): the batches the
/// publisher sends and their message ids, and how the processor's handler settles each message,
/// against real PostgreSQL and Redis. The AMQP link itself is the SDK's and is not run here.
/// </summary>
public sealed class ServiceBusConsumerTests : IAsyncLifetime
{
    private const string ConnectionString = "Endpoint=sb://gateway-tests.servicebus.windows.net/;SharedAccessKeyName=test;SharedAccessKey=dGVzdA==";

    private readonly IngestHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Transport_Batch_SendsOneBatchOfOneEnvelopeWhoseMessageIdIsTheBatchId()
    {
        var app = await _host.StartAsync(Settings(_host));
        var sender = new RecordingServiceBusSender();
        var messages = Enumerable.Range(0, 10).Select(_ => IngestHost.ChatEvent("key-sb")).ToList();

        await Transport(app, sender).SendBatchAsync(messages, CancellationToken.None);

        var sent = Assert.Single(Assert.Single(sender.Sends));
        Assert.Equal("application/json", sent.ContentType);
        var batch = UsageBatchDecoder.Decode(sent.Body.ToArray());
        Assert.Null(batch.Error);
        Assert.Equal(batch.BatchId, sent.MessageId);
        Assert.Equal(messages.Select(m => m.EventId), batch.Events.Select(m => m.EventId));
    }

    [Fact]
    public async Task Transport_ManyLargeEvents_FillSeveralBatchesWithinTheSizeLimit()
    {
        // Uncompressed: gzip shrinks these quotes to almost nothing (one batch); this test is about the JSON's worst case.
        var settings = Settings(_host);
        settings["UsageTransport:Compression"] = "none";
        var app = await _host.StartAsync(settings);
        var sender = new RecordingServiceBusSender();
        // Quotes double in the envelope's JSON: the worst case for the size accounting.
        var messages = Enumerable.Range(0, 12).Select(_ => WithCompletion(IngestHost.ChatEvent("key-sb-large"), new string('"', 60_000))).ToList();
        messages.Add(WithCompletion(IngestHost.ChatEvent("key-sb-large"), new string('"', 200_000)));

        await Transport(app, sender).SendBatchAsync(messages, CancellationToken.None);

        Assert.True(sender.Sends.Count > 1, $"the messages were split over several batches ({sender.Sends.Count})");
        Assert.All(sender.Sends, s => Assert.InRange(s.Sum(m => m.Body.ToMemory().Length), 1, sender.MaxBatchBytes));
        var decoded = sender.AllMessages.Select(m => (Message: m, Batch: UsageBatchDecoder.Decode(m.Body.ToArray()))).ToList();
        Assert.All(decoded, d => Assert.Equal(d.Batch.BatchId, d.Message.MessageId));
        Assert.Equal(decoded.Count, decoded.Select(d => d.Message.MessageId).Distinct().Count());
        var events = decoded.SelectMany(d => d.Batch.Events).ToList();
        Assert.Equal(messages.Select(m => m.EventId).Order(), events.Select(e => e.EventId).Order());
        Assert.Equal(messages[^1].EventId, Assert.Single(events, e => e.ClaimCheck is not null).EventId);
    }

    [Fact]
    public async Task Processor_Events_AreStoredChargedAndCompleted()
    {
        var app = await _host.StartAsync(Settings(_host));
        var receiver = new RecordingServiceBusReceiver();
        var message = IngestHost.ChatEvent("key-sb-1");

        await Processor(app).HandleAsync(Args(receiver, UsageMessageCodec.Serialize(message), "m-1"));

        Assert.Equal(new RecordingServiceBusReceiver.Settlement("Complete", "m-1"), Assert.Single(receiver.Settlements));
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-sb-1"));
    }

    [Fact]
    public async Task Processor_SameMessageRedelivered_OneRowOneChargeBothCompleted()
    {
        var app = await _host.StartAsync(Settings(_host));
        var receiver = new RecordingServiceBusReceiver();
        var body = UsageMessageCodec.Serialize(IngestHost.ChatEvent("key-sb-again"));

        await Processor(app).HandleAsync(Args(receiver, body, "m-again"));
        await Processor(app).HandleAsync(Args(receiver, body, "m-again", deliveryCount: 2));

        Assert.All(receiver.Settlements, s => Assert.Equal("Complete", s.Action));
        Assert.Equal(2, receiver.Settlements.Count);
        Assert.Equal(1, await _host.CountEventsAsync());
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-sb-again"));
    }

    [Fact]
    public async Task Processor_UnreadableMessage_IsDeadLetteredWithTheReason()
    {
        var app = await _host.StartAsync(Settings(_host));
        var receiver = new RecordingServiceBusReceiver();

        await Processor(app).HandleAsync(Args(receiver, "this is not a usage batch"u8.ToArray(), "m-bad"));

        var settled = Assert.Single(receiver.Settlements);
        Assert.Equal("DeadLetter", settled.Action);
        Assert.Equal(ServiceBusUsageProcessor.UnreadableReason, settled.Reason);
        Assert.False(string.IsNullOrWhiteSpace(settled.Description));
        Assert.Equal(0, await _host.CountEventsAsync());
    }

    [Fact]
    public async Task Processor_PostgresUnreachablePastTheRetryBudget_AbandonsForRedeliveryAndTheRedeliveryChargesOnce()
    {
        var message = IngestHost.ChatEvent("key-sb-pg-down");
        var body = UsageMessageCodec.Serialize(message);
        var broken = Settings(_host);
        broken["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=1";
        var receiver = new RecordingServiceBusReceiver();
        await using (var down = await GatewayApps.StartAsync<Program>(broken))
        {
            var processor = Processor(down);
            processor.TransientRetryBudget = TimeSpan.FromSeconds(1);
            await processor.HandleAsync(Args(receiver, body, "m-down"));
        }

        Assert.Equal(new RecordingServiceBusReceiver.Settlement("Abandon", "m-down"), Assert.Single(receiver.Settlements));
        Assert.Equal(0, await _host.CountEventsAsync());

        var app = await _host.StartAsync(Settings(_host));
        await Processor(app).HandleAsync(Args(receiver, body, "m-down", deliveryCount: 2));
        Assert.Equal("Complete", receiver.Settlements.Last().Action);
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-sb-pg-down"));
    }

    private static Dictionary<string, string?> Settings(IngestHost host)
    {
        var settings = host.Settings(consumer: false);
        settings["UsageTransport"] = "ServiceBus";
        settings["UsageServiceBus"] = ConnectionString;
        return settings;
    }

    private static ServiceBusUsageTransport Transport(GatewayAppFactory<Program> app, ServiceBusSender sender)
        => new(sender, app.Services.GetRequiredService<UsageBatchEncoder>(), app.Services.GetRequiredService<UsageQueueClients>());

    private static ServiceBusUsageProcessor Processor(GatewayAppFactory<Program> app)
        => ActivatorUtilities.CreateInstance<ServiceBusUsageProcessor>(app.Services);

    private static ProcessMessageEventArgs Args(RecordingServiceBusReceiver receiver, byte[] body, string messageId, int deliveryCount = 1)
        => new(RecordingServiceBusReceiver.Received(body, messageId, deliveryCount), receiver, CancellationToken.None);

    private static UsageEventMessage WithCompletion(UsageEventMessage message, string text)
    {
        message.CompletionText = text;
        return message;
    }
}
