extern alias ingest;

using System.Diagnostics;
using System.Globalization;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Publishing;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Gateway.Usage.Benchmarks;

/// <summary>Events per second through ingest, against a fresh database, Redis prefix and queue.</summary>
internal static class IngestThroughput
{
    public static async Task RunAsync(int events, int concurrency)
    {
        // WebApplicationFactory finds the app's content root through this outside a test project.
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_GATEWAY_INGEST_FUNCTIONS", RepoPaths.Combine("Gateway.Ingest.Functions"));
        var database = new PostgresDatabase();
        await database.InitializeAsync();
        var queue = TestEnvironment.UniqueName("bench-usage-");
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = RedisTestConnection.NewPrefix(),
            ["ConfigRefresh:RunOnStartup"] = "false",
            ["UsageQueueStorage"] = TestEnvironment.StorageConnectionString,
            ["UsageQueueName"] = queue,
            ["UsageConsumer:Enabled"] = "false",
            ["UsageConsumer:Concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture),
            ["UsageConsumer:PollInterval"] = "00:00:00.020",
            ["Logging:LogLevel:Default"] = "Warning",
        };

        try
        {
            // 1. The handler alone: decode, cost, INSERT ... ON CONFLICT, Redis script, UPDATE.
            await using (var app = await GatewayApps.StartAsync<ingest::Program>(settings))
            {
                var ingestor = app.Services.GetRequiredService<UsageIngestor>();
                var bodies = Enumerable.Range(0, events).Select(i => Gateway.Domain.Usage.Transport.UsageMessageCodec.Serialize(Event(i))).ToArray();
                await ingestor.IngestAsync(bodies[0], CancellationToken.None); // warm up
                var watch = Stopwatch.StartNew();
                await Parallel.ForEachAsync(bodies.Skip(1), new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (body, ct) => await ingestor.IngestAsync(body, ct));
                Report("handler only (no queue)", events - 1, watch.Elapsed);
            }

            // 2. Queue → consumer → PostgreSQL + Redis, producer and consumer running together (the
            // proxy's transport sending batches of 100). Azurite's queues slow down with the backlog
            // (each receive scans the queue), so a short queue is what measures the consumer.
            var consume = new Dictionary<string, string?>(settings) { ["UsageConsumer:Enabled"] = "true" };
            await using (var consumer = await GatewayApps.StartAsync<ingest::Program>(consume))
            {
                var transport = consumer.Services.GetRequiredService<IUsageEventTransport>();
                var watch = Stopwatch.StartNew();
                foreach (var chunk in Enumerable.Range(events, events).Select(Event).Chunk(100))
                {
                    await transport.SendBatchAsync(chunk, CancellationToken.None);
                }

                var enqueued = watch.Elapsed;
                while (await CountAsync(database.ConnectionString) < 2L * events)
                {
                    await Task.Delay(20);
                }

                Report("enqueue (Storage transport, batches of 100, while consuming)", events, enqueued);
                Report($"queue → ingest → PostgreSQL + Redis, end to end (concurrency {concurrency})", events, watch.Elapsed);
            }
        }
        finally
        {
            await new Azure.Storage.Queues.QueueClient(TestEnvironment.StorageConnectionString, queue).DeleteIfExistsAsync();
            await database.DisposeAsync();
        }
    }

    private static UsageEventMessage Event(int i) => new()
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

    private static async Task<long> CountAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM events WHERE spend_applied", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static void Report(string what, int events, TimeSpan elapsed)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {events} events in {elapsed.TotalSeconds:F2} s = {events / elapsed.TotalSeconds:F0} events/s"));
}
