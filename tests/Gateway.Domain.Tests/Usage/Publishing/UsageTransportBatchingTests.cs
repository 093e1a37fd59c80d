using System.Text.Json;
using Azure.Storage.Blobs;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;

namespace Gateway.Domain.Tests.Usage.Publishing;

/// <summary>Many events per queue message, each message under its queue's budget and decodable as the envelope (real Azurite; fake Service Bus).</summary>
public sealed class UsageTransportBatchingTests(PrivateAzurite storage) : IAsyncLifetime, IClassFixture<PrivateAzurite>
{
    private readonly string _spill = Path.Combine(Path.GetTempPath(), "gateway-spill-test-" + Guid.NewGuid().ToString("n"));
    private PublisherHarness _harness = null!;

    public Task InitializeAsync()
    {
        _harness = PublisherHarness.Create(storage.ConnectionString, _spill);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _harness.Clients.Queue.DeleteIfExistsAsync();
        await _harness.DisposeAsync();
        if (Directory.Exists(_spill))
        {
            Directory.Delete(_spill, recursive: true);
        }
    }

    [Fact]
    public async Task StorageQueue_ManyEvents_FewMessagesEachUnderTheBudgetAndInOrder()
    {
        var run = Guid.NewGuid().ToString("n")[..8];
        var events = Enumerable.Range(0, 3_000).Select(i => PublisherHarness.Event(run, i)).ToList();
        var eventBytes = events.Sum(e => UsageMessageCodec.Serialize(e).Length + 1);

        await _harness.Transport.SendBatchAsync(events, CancellationToken.None);

        var messages = await PublisherHarness.ReadQueueAsync(storage.ConnectionString, _harness.QueueName);
        var fewest = (int)Math.Ceiling(eventBytes / (double)UsageMessageCodec.StorageQueueMaxBodyBytes);
        // Messages are gzip by default (UsageTransport__Compression): the budget bounds the compressed
        // body, so the events' JSON takes several times fewer messages than its size over the budget.
        Assert.InRange(messages.Count, 1, fewest / 3);
        Assert.All(messages, m =>
        {
            Assert.Equal(2, m.Envelope.SchemaVersion);
            Assert.Equal(7, Guid.Parse(m.Envelope.BatchId).Version);
            Assert.InRange(m.JsonBytes, 1, UsageMessageCodec.StorageQueueMaxBodyBytes);
            Assert.InRange(m.Base64Chars, 1, 64 * 1024);
        });
        Assert.True(messages.Count(m => m.Events.Count < 50) <= 1, "every message but the last is full: " + string.Join(",", messages.Select(m => m.Events.Count)));
        Assert.Equal(messages.Count, messages.Select(m => m.Envelope.BatchId).Distinct().Count());
        var received = messages.SelectMany(m => m.Events).ToList();
        Assert.Equal(events.Select(e => e.EventId).Order(), received.Select(e => e.EventId).Order());
        Assert.Equal(1000, received.Single(e => e.EventId == events[42].EventId).Usage!.PromptTokens);
    }

    [Fact]
    public async Task StorageQueue_OversizedEventInABatch_TravelsAsClaimCheckBesideTheOthers()
    {
        var run = Guid.NewGuid().ToString("n")[..8];
        var events = Enumerable.Range(0, 21).Select(i => PublisherHarness.Event(run, i, bodyChars: i == 10 ? 200_000 : 0)).ToList();

        await _harness.Transport.SendBatchAsync(events, CancellationToken.None);

        var messages = await PublisherHarness.ReadQueueAsync(storage.ConnectionString, _harness.QueueName);
        var message = Assert.Single(messages);
        Assert.Equal(21, message.Events.Count);
        Assert.InRange(message.JsonBytes, 1, UsageMessageCodec.StorageQueueMaxBodyBytes);
        var claimed = Assert.Single(message.Events, e => e.ClaimCheck is not null);
        Assert.Equal(events[10].EventId, claimed.EventId);
        Assert.Null(claimed.RequestBody);
        Assert.All(message.Events.Where(e => e != claimed), e => Assert.Null(e.ClaimCheck));

        var blob = new BlobContainerClient(storage.ConnectionString, claimed.ClaimCheck!.Container).GetBlobClient(claimed.ClaimCheck.Blob);
        var whole = UsageMessageCodec.TryParse((await blob.DownloadContentAsync()).Value.Content.ToMemory().Span, out _)!;
        Assert.Equal(200_000, whole.RequestBody!.Length);
        Assert.Equal(claimed.ClaimCheck.Length, (await blob.GetPropertiesAsync()).Value.ContentLength);
    }
}
