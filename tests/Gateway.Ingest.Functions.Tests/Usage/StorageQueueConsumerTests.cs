using System.Text.Json;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Publishing;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>
/// The standalone Storage queue consumer against Azurite, fed by the real transport the proxy uses:
/// delivery, redelivery, a consumer killed between storing and acknowledging, claim checks and poison.
/// </summary>
public sealed class StorageQueueConsumerTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private readonly IngestHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Consumer_EventsSentByTheTransport_AreStoredChargedAndDeleted()
    {
        var app = await _host.StartAsync(_host.Settings(consumer: true));
        var transport = app.Services.GetRequiredService<IUsageEventTransport>();
        var messages = Enumerable.Range(0, 50).Select(_ => IngestHost.ChatEvent("key-consumer")).ToList();

        await transport.SendBatchAsync(messages, CancellationToken.None);

        await Eventually.AssertAsync(() => _host.CountEventsAsync().Result == 50, Patience, "every event is stored");
        await Eventually.AssertAsync(() => _host.KeyTotalAsync("key-consumer").Result == 50 * IngestHost.ChatEventNanoDollars, Patience, "every event is charged once");
        await Eventually.AssertAsync(() => QueueLength() == 0, Patience, "every message is deleted");
    }

    [Fact]
    public async Task Consumer_SameEventQueuedTwice_OneRowOneCharge()
    {
        var app = await _host.StartAsync(_host.Settings(consumer: true));
        var transport = app.Services.GetRequiredService<IUsageEventTransport>();
        var message = IngestHost.ChatEvent("key-dup");

        // A retried send enqueues the event again (at-least-once).
        await transport.SendBatchAsync([message, message], CancellationToken.None);
        await transport.SendBatchAsync([message], CancellationToken.None);

        await Eventually.AssertAsync(() => QueueLength() == 0, Patience, "every copy is consumed");
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-dup"));
    }

    [Fact]
    public async Task Consumer_KilledAfterStoringBeforeAcknowledging_RestartNeitherLosesNorDoubleCharges()
    {
        // The first consumer: receives the message, stores and charges it, and dies before deleting it.
        var first = await _host.StartAsync();
        var message = IngestHost.ChatEvent("key-killed");
        await first.Services.GetRequiredService<IUsageEventTransport>().SendBatchAsync([message], CancellationToken.None);
        var received = (await _host.Queue.ReceiveMessageAsync(TimeSpan.FromSeconds(2))).Value;
        var result = await first.Services.GetRequiredService<UsageIngestor>().IngestAsync(received.Body.ToMemory(), CancellationToken.None);
        Assert.Equal(UsageIngestOutcome.Ingested, Assert.Single(result.Events).Outcome);
        await first.DisposeAsync(); // killed: no delete

        // After a restart the message reappears (its visibility timeout ends) and is consumed again.
        var restarted = await _host.StartAsync(_host.Settings(consumer: true));

        await Eventually.AssertAsync(() => QueueLength() == 0, Patience, "the redelivered message is consumed");
        Assert.Equal(1, await _host.CountEventsAsync(message.EventId));
        Assert.Equal(IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-killed"));
        Assert.Equal(0, await PoisonLength());
        GC.KeepAlive(restarted);
    }

    [Fact]
    public async Task Consumer_EventLargerThanAQueueMessage_TravelsAsAClaimCheck()
    {
        var app = await _host.StartAsync(_host.Settings(consumer: true));
        var message = IngestHost.ChatEvent("key-large");
        message.RequestBody = JsonSerializer.Serialize(new { model = "gpt-4o", messages = new[] { new { role = "user", content = new string('é', 300_000) } } });
        message.ResponseBody = new string('r', 100_000);

        await app.Services.GetRequiredService<IUsageEventTransport>().SendBatchAsync([message], CancellationToken.None);

        await Eventually.AssertAsync(() => _host.CountEventsAsync(message.EventId).Result == 1, Patience, "the large event is stored");
        var row = (await _host.EventRowAsync(message.EventId))!;
        Assert.Equal(message.ResponseBody, JsonDocument.Parse((string)row["response"]!).RootElement.GetString());
        Assert.Contains(new string('é', 1000), (string)row["request"]!);
        var blob = app.Services.GetRequiredService<UsageQueueClients>().ClaimContainer.GetBlobClient(message.EventId);
        Assert.True((await blob.ExistsAsync()).Value);
    }

    [Fact]
    public async Task Consumer_MalformedMessage_MovesToPoisonWithTheReasonAfterRetries()
    {
        var settings = _host.Settings(consumer: true);
        settings["UsageConsumer:MaxDequeueCount"] = "2";
        await _host.StartAsync(settings);

        await _host.Queue.SendMessageAsync(BinaryData.FromString("""{"schemaVersion":1,"keyId":"k"}"""));

        await Eventually.AssertAsync(() => PoisonLength().Result == 1, Patience, "the malformed message is poisoned");
        var poisoned = (await _host.PoisonQueue.ReceiveMessageAsync()).Value;
        var poison = JsonDocument.Parse(poisoned.Body.ToString()).RootElement;
        Assert.Contains("not a usage event", poison.GetProperty("reason").GetString());
        Assert.Equal("""{"schemaVersion":1,"keyId":"k"}""", poison.GetProperty("body").GetString());
        Assert.Equal(2, poison.GetProperty("dequeueCount").GetInt64());
        Assert.Equal(0, QueueLength());
        Assert.Equal(0, await _host.CountEventsAsync());
    }

    [Fact]
    public async Task Consumer_MessageThatIsNotBase64_MovesToPoison()
    {
        await _host.StartAsync(_host.Settings(consumer: true));
        var raw = new Azure.Storage.Queues.QueueClient(TestEnvironment.StorageConnectionString, _host.QueueName);

        await raw.SendMessageAsync("{not base64!}");

        await Eventually.AssertAsync(() => PoisonLength().Result == 1, Patience, "the undecodable message is poisoned");
        var poison = JsonDocument.Parse((await _host.PoisonQueue.ReceiveMessageAsync()).Value.Body.ToString()).RootElement;
        Assert.Contains("Base64", poison.GetProperty("reason").GetString());
        Assert.Equal("{not base64!}", poison.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Consumer_PostgresUnreachable_KeepsTheMessageForLaterAndNeverPoisonsIt()
    {
        var settings = _host.Settings(consumer: true);
        settings["ConnectionStrings:Postgres"] = "Host=127.0.0.1;Port=1;Username=x;Password=x;Database=x;Timeout=1";
        settings["UsageConsumer:MaxDequeueCount"] = "1";
        var app = await _host.StartAsync(settings);

        await _host.Queue.SendMessageAsync(BinaryData.FromBytes(UsageMessageCodec.Serialize(IngestHost.ChatEvent("key-pg-down"))));

        // Every delivery fails and the message is released for a retry (backoff 1 s, 2 s, ...). With
        // MaxDequeueCount 1, a malformed message would be poisoned at its first delivery: a transient
        // failure must not be. Peek sees only visible messages and a running consumer hides it again
        // at once, so stop the consumer, then look.
        await Task.Delay(TimeSpan.FromSeconds(5));
        await app.DisposeAsync();
        await Eventually.AssertAsync(() => DequeueCount().Result >= 1, Patience, "the message was delivered and released, not deleted");
        Assert.Equal(0, await PoisonLength());
        Assert.Equal(1, QueueLength());
    }

    [Fact]
    public async Task Transport_QueueDeletedAfterFirstUse_TheRetryCreatesItAgain()
    {
        var app = await _host.StartAsync();
        var transport = app.Services.GetRequiredService<IUsageEventTransport>();
        await transport.SendBatchAsync([IngestHost.ChatEvent("k")], CancellationToken.None);
        await _host.Queue.DeleteAsync();

        // The publisher retries a failed batch: the first attempt finds the queue gone, the retry recreates it.
        await Assert.ThrowsAsync<Azure.RequestFailedException>(() => transport.SendBatchAsync([IngestHost.ChatEvent("k")], CancellationToken.None));
        await transport.SendBatchAsync([IngestHost.ChatEvent("k")], CancellationToken.None);

        Assert.Equal(1, QueueLength());
    }

    private int QueueLength() => _host.Queue.GetProperties().Value.ApproximateMessagesCount;

    private async Task<int> PoisonLength()
        => (await _host.PoisonQueue.ExistsAsync()).Value ? (await _host.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;

    private async Task<long> DequeueCount()
        => (await _host.Queue.PeekMessageAsync()).Value?.DequeueCount ?? 0;
}
