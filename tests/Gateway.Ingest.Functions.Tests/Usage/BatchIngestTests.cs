using System.Diagnostics.Metrics;
using System.Text.Json;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>
/// Batches (schema 2) against real PostgreSQL, Redis and Azurite: a bad element isolated, exactly once
/// per event id, every served request stored and charged, and spend exact to the nano-dollar.
/// </summary>
public sealed class BatchIngestTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly IngestHost _host = new();
    private GatewayAppFactory<Program> _app = null!;

    private UsageIngestor Ingestor => _app.Services.GetRequiredService<UsageIngestor>();

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        // The counter rebuild runs as usual: it only ever raises counters, so it cannot undo an increment.
        _app = await _host.StartAsync(_host.Settings());
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task Consumer_BatchWithOneMalformedEvent_OthersStoredAndChargedBadOnePoisonedWithItsReason()
    {
        await _host.StartAsync(_host.Settings(consumer: true));
        var good = Enumerable.Range(0, 5).Select(_ => IngestHost.ChatEvent("key-batch-bad")).ToList();
        const string Bad = """{"schemaVersion":1,"keyId":"key-batch-bad","model":"gpt-4o"}""";

        await _host.Queue.SendMessageAsync(BinaryData.FromBytes(IngestHost.Batch(good[0], good[1], Bad, good[2], good[3], good[4])));

        await Eventually.AssertAsync(() => PoisonLength().Result == 1, Patience, "the bad element is poisoned");
        await Eventually.AssertAsync(() => QueueLength() == 0, Patience, "the batch is settled");
        Assert.Equal(5, await _host.CountEventsAsync());
        Assert.All(good, e => Assert.Equal(1, _host.CountEventsAsync(e.EventId).Result));
        Assert.Equal(5 * IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-batch-bad"));
        var poison = JsonDocument.Parse((await _host.PoisonQueue.ReceiveMessageAsync()).Value.Body.ToString()).RootElement;
        Assert.Contains("eventId", poison.GetProperty("reason").GetString());
        Assert.Equal(2, poison.GetProperty("index").GetInt32());
        Assert.Equal(Bad, poison.GetProperty("body").GetString());
    }

    [Fact]
    public async Task Consumer_BadElementTooLargeForAPoisonRecord_BodyGoesToABlob_BatchIsSettled()
    {
        await _host.StartAsync(_host.Settings(consumer: true));
        var good = IngestHost.ChatEvent("key-batch-big-bad");
        // 30 KB in the batch as escaped quotes (\"), which the poison record's JSON escapes again (\\\"): over 60 KB.
        const string Placeholder = "NOTE-PLACEHOLDER";
        var quotes = string.Concat(Enumerable.Repeat("\\\"", 15_000));
        var bad = """{"schemaVersion":1,"keyId":"key-batch-big-bad","model":"gpt-4o","note":"NOTE-PLACEHOLDER"}""".Replace(Placeholder, quotes, StringComparison.Ordinal);
        var batch = System.Text.Encoding.UTF8.GetString(IngestHost.Batch(good, bad.Replace(quotes, Placeholder, StringComparison.Ordinal)))
            .Replace(Placeholder, quotes, StringComparison.Ordinal);

        await _host.Queue.SendMessageAsync(BinaryData.FromString(batch));

        await Eventually.AssertAsync(() => PoisonLength().Result == 1, Patience, "the bad element is poisoned");
        await Eventually.AssertAsync(() => QueueLength() == 0, Patience, "the batch is settled");
        Assert.Equal(1, await _host.CountEventsAsync(good.EventId));
        var poison = JsonDocument.Parse((await _host.PoisonQueue.ReceiveMessageAsync()).Value.Body.ToString()).RootElement;
        Assert.Equal(1, poison.GetProperty("index").GetInt32());
        Assert.Equal(string.Empty, poison.GetProperty("body").GetString());
        var location = poison.GetProperty("bodyBlob").GetString()!.Split('/', 2);
        var clients = _app.Services.GetRequiredService<UsageQueueClients>();
        Assert.Equal(clients.ClaimContainer.Name, location[0]);
        Assert.Equal(bad, (await clients.ClaimContainer.GetBlobClient(location[1]).DownloadContentAsync()).Value.Content.ToString());
    }

    [Fact]
    public async Task Ingest_BatchRedeliveredWithAnotherBatchOverlapping_ChargesEachEventIdOnce()
    {
        var events = Enumerable.Range(0, 4).Select(_ => IngestHost.ChatEvent("key-overlap")).ToList();

        var first = await Ingestor.IngestAsync(IngestHost.Batch(events[0], events[1], events[2]), CancellationToken.None);
        var again = await Ingestor.IngestAsync(IngestHost.Batch(events[0], events[1], events[2]), CancellationToken.None);
        var overlapping = await Ingestor.IngestAsync(IngestHost.Batch(events[2], events[3], events[3]), CancellationToken.None);

        Assert.All(first.Events, e => Assert.Equal(UsageIngestOutcome.Ingested, e.Outcome));
        Assert.All(again.Events, e => Assert.Equal(UsageIngestOutcome.Duplicate, e.Outcome));
        Assert.Equal([UsageIngestOutcome.Duplicate, UsageIngestOutcome.Ingested], overlapping.Events.OrderBy(e => e.Outcome == UsageIngestOutcome.Ingested).Select(e => e.Outcome));
        Assert.Equal(4, await _host.CountEventsAsync());
        Assert.Equal(4 * IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-overlap"));
        Assert.Equal(await _host.LedgerNanoDollarsAsync("key-overlap"), await _host.KeyTotalAsync("key-overlap"));
    }

    [Fact]
    public async Task Ingest_FieldsJsonbRefuses_EventStoredChargedAndATinyLimitRefusesTheNextRequest()
    {
        var key = await AddKeyAsync(k => k.Limits.CostLimitInUsd = 0.000001m);
        var limiter = Limiter();
        Assert.Equal(LimitOutcome.Allowed, (await limiter.CheckAsync([LimitSubject.For(key)], CancellationToken.None)).Outcome);

        var message = IngestHost.ChatEvent(key.KeyId);
        message.Metadata = """{"n":1e999999}""";
        message.RequestBody = """{"model":"gpt-4o","messages":[{"role":"user","content":"\ud800 lone"}]}""";
        message.ResponseBody = "not json \ud800 at all";
        var second = IngestHost.ChatEvent(key.KeyId);
        second.Metadata = """{"s":"\udc00","n":-1e-999999}""";
        var result = await Ingestor.IngestAsync(IngestHost.Batch(message, second), CancellationToken.None);

        Assert.All(result.Events, e => Assert.Equal(UsageIngestOutcome.Ingested, e.Outcome));
        var row = (await _host.EventRowAsync(message.EventId))!;
        Assert.Equal("""{"n":1e999999}""", JsonDocument.Parse((string)row["metadata"]!).RootElement.GetString());
        Assert.Equal("\ufffd lone", JsonDocument.Parse((string)row["request"]!).RootElement.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("not json \ufffd at all", JsonDocument.Parse((string)row["response"]!).RootElement.GetString());
        Assert.NotNull((await _host.EventRowAsync(second.EventId))!["metadata"]);
        Assert.Equal(2 * IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync(key.KeyId));
        Assert.Equal(LimitOutcome.SpendLimited, (await limiter.CheckAsync([LimitSubject.For(key)], CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Spend_150CallsOf008MicroDollarsAgainstA10MicroDollarLimit_RefusedOnceCrossed()
    {
        var key = await AddKeyAsync(k => k.Limits.CostLimitInUsd = 0.00001m);
        var limiter = Limiter();
        var admitted = 0;
        for (var call = 0; call < 150; call++)
        {
            if ((await limiter.CheckAsync([LimitSubject.For(key)], CancellationToken.None)).Outcome != LimitOutcome.Allowed)
            {
                continue;
            }

            admitted++;
            var embedding = IngestHost.ChatEvent(key.KeyId);
            embedding.Model = "text-embedding-3-small";
            embedding.Path = "/api/providers/openai/v1/embeddings";
            embedding.Usage = new TokenUsage { PromptTokens = 4 }; // 4 × $0.02 per 1M tokens = $0.00000008
            await Ingestor.IngestAsync(embedding, CancellationToken.None);
        }

        // 125 × 80 nano-dollars reach the 10,000 nano-dollar limit; every later call is refused.
        Assert.Equal(125, admitted);
        Assert.Equal(0.00000008m, (decimal)(await _host.EventRowAsync(await FirstEventIdAsync(key.KeyId)))!["cost_in_usd"]!);
        Assert.Equal(10_000, await _host.KeyTotalAsync(key.KeyId));
    }

    private RedisLimiter Limiter()
        => new(_host.Redis, new LocalRateLimiter(), TimeProvider.System, _app.Services.GetRequiredService<IMeterFactory>(), NullLogger<RedisLimiter>.Instance);

    private async Task<ApiKey> AddKeyAsync(Action<ApiKey> configure)
    {
        var (key, _) = TestData.NewKey();
        configure(key);
        await using var db = _host.Database.CreateDbContext();
        db.Keys.Add(key);
        await db.SaveChangesAsync();
        return key;
    }

    private async Task<string> FirstEventIdAsync(string keyId)
    {
        await using var db = _host.Database.CreateDbContext();
        return db.Events.Where(e => e.KeyId == keyId).Select(e => e.EventId).First();
    }

    private int QueueLength() => _host.Queue.GetProperties().Value.ApproximateMessagesCount;

    private async Task<int> PoisonLength()
        => (await _host.PoisonQueue.ExistsAsync()).Value ? (await _host.PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount : 0;
}
