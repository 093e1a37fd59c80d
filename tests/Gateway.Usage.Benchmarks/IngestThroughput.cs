extern alias ingest;

using System.Diagnostics;
using System.Globalization;
using Azure.Storage.Queues;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Ingest;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Usage.Benchmarks;

/// <summary>
/// Events per second through ingest, against a fresh database, Redis prefix and queue: the handler
/// alone, and Storage queue → standalone consumer → PostgreSQL + Redis with the producer running.
/// Messages are schema-2 batches of <see cref="EventsPerMessage"/> events, as the publisher sends them.
/// </summary>
internal static class IngestThroughput
{
    public const int EventsPerMessage = 100;

    public static async Task RunAsync(int events, int concurrency)
    {
        await using var bench = await IngestBench.StartAsync(concurrency);

        // 1. The handler alone: decode, cost, one multi-row INSERT, one Redis script, one UPDATE + totals.
        await using (var app = await bench.StartIngestAsync(consumer: false))
        {
            var ingestor = app.Services.GetRequiredService<UsageIngestor>();
            var messages = Batches(events).ToArray();
            await ingestor.IngestAsync(messages[0], CancellationToken.None); // warm up
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(messages.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (body, ct) => await ingestor.IngestAsync(body, ct));
            Report("handler only (no queue)", events - EventsPerMessage, watch.Elapsed);
            await StepsAsync(app.Services, Math.Min(events, 10_000));
        }

        // 2. Queue → consumer → PostgreSQL + Redis, producer and consumer running together. Azurite's
        // queues slow down with the backlog (each receive scans the queue), so the producer keeps pace
        // rather than filling the queue first.
        await using (var consumer = await bench.StartIngestAsync(consumer: true))
        {
            var before = await bench.AppliedAsync();
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Batches(events), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (body, ct) => await bench.Queue.SendMessageAsync(BinaryData.FromBytes(body), cancellationToken: ct));
            var enqueued = watch.Elapsed;
            while (await bench.AppliedAsync() < before + events)
            {
                await Task.Delay(20);
            }

            Report($"enqueue ({EventsPerMessage} events per message, while consuming)", events, enqueued);
            Report($"queue → ingest → PostgreSQL + Redis, end to end (concurrency {concurrency})", events, watch.Elapsed);
        }
    }

    // Each step of the handler on its own, sequentially, batches of EventsPerMessage: where the time goes.
    private static async Task StepsAsync(IServiceProvider services, int events)
    {
        var calculator = services.GetRequiredService<Gateway.Domain.Usage.Costing.UsageCostCalculator>();
        var store = services.GetRequiredService<UsageEventStore>();
        var spend = services.GetRequiredService<Gateway.Domain.Usage.Spend.SpendApplier>();
        var ledger = services.GetRequiredService<Gateway.Domain.Usage.Spend.SpendLedger>();
        var batches = Enumerable.Range(0, events).Select(Event).Chunk(EventsPerMessage).ToList();
        TimeSpan insert = default, apply = default, mark = default;
        foreach (var batch in batches)
        {
            var priced = batch.Select(e => new PricedEvent(e, calculator.Calculate(e, null))).ToList();
            var watch = Stopwatch.StartNew();
            var entries = await store.InsertAsync(priced, DateTimeOffset.UtcNow, CancellationToken.None);
            insert += watch.Elapsed;
            watch.Restart();
            await spend.ApplyAsync(entries, CancellationToken.None);
            apply += watch.Elapsed;
            watch.Restart();
            await ledger.MarkAppliedAsync(entries, CancellationToken.None);
            mark += watch.Elapsed;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"steps, one batch of {EventsPerMessage} at a time ({batches.Count} batches): insert {insert.TotalMilliseconds / batches.Count:F1} ms, Redis script {apply.TotalMilliseconds / batches.Count:F1} ms, mark + totals {mark.TotalMilliseconds / batches.Count:F1} ms per batch"));
    }

    public static IEnumerable<byte[]> Batches(int events)
        => Enumerable.Range(0, events).Select(Event).Chunk(EventsPerMessage).Select(chunk => BatchMessage.Encode(chunk));

    public static UsageEventMessage Event(int i) => new()
    {
        EventId = Guid.CreateVersion7().ToString(),
        CreatedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        KeyId = "bench-key-" + (i % 50).ToString(CultureInfo.InvariantCulture),
        Tags = ["bench"],
        Provider = "openai",
        Model = "gpt-4o-mini",
        Path = "/api/providers/openai/v1/chat/completions",
        Method = "POST",
        Status = 200,
        LatencyMs = 300,
        Usage = new TokenUsage { PromptTokens = 1000, CompletionTokens = 200 },
    };

    private static void Report(string what, int events, TimeSpan elapsed)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {events} events in {elapsed.TotalSeconds:F2} s = {events / elapsed.TotalSeconds:F0} events/s"));
}

/// <summary>A fresh database, Redis prefix and Storage queue for one benchmark run, and ingest apps on them.</summary>
internal sealed class IngestBench : IAsyncDisposable
{
    private readonly PostgresDatabase _database;
    private readonly Dictionary<string, string?> _settings;

    private IngestBench(PostgresDatabase database, Dictionary<string, string?> settings, QueueClient queue)
    {
        _database = database;
        _settings = settings;
        Queue = queue;
    }

    public QueueClient Queue { get; }

    public string ConnectionString => _database.ConnectionString;

    public string RedisPrefix => _settings["Redis:KeyPrefix"]!;

    public static async Task<IngestBench> StartAsync(int concurrency)
    {
        // WebApplicationFactory finds the app's content root through this outside a test project.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_GATEWAY_INGEST_FUNCTIONS", RepoPaths.Combine("Gateway.Ingest.Functions"));
        var database = new PostgresDatabase();
        await database.InitializeAsync();
        var queueName = TestEnvironment.UniqueName("bench-usage-");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = RedisTestConnection.NewPrefix(),
            ["ConfigRefresh:RunOnStartup"] = "false",
            ["UsageQueueStorage"] = TestEnvironment.StorageConnectionString,
            ["UsageQueueName"] = queueName,
            ["UsageConsumer:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        var queue = new QueueClient(TestEnvironment.StorageConnectionString, queueName, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateIfNotExistsAsync();
        return new IngestBench(database, settings, queue);
    }

    /// <summary>An ingest app with the default consumer settings (poll interval, visibility) unless the benchmark set them.</summary>
    public Task<GatewayAppFactory<ingest::Program>> StartIngestAsync(bool consumer)
        => GatewayApps.StartAsync<ingest::Program>(new Dictionary<string, string?>(_settings) { ["UsageConsumer:Enabled"] = consumer ? "true" : "false" });

    public async Task<long> AppliedAsync()
    {
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM events WHERE spend_applied", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    public async ValueTask DisposeAsync()
    {
        await Queue.DeleteIfExistsAsync();
        await _database.DisposeAsync();
    }
}
