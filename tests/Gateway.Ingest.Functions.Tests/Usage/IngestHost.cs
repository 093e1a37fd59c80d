using Azure.Storage.Queues;
using Gateway.Domain.Limits;
using Gateway.Domain.Redis;
using Gateway.Domain.Usage;
using Gateway.Testing;
using Npgsql;
using StackExchange.Redis;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>
/// What an ingest test owns: a PostgreSQL database, a Redis key prefix and a Storage queue name no
/// other test uses, and ingest apps started against them.
/// </summary>
public sealed class IngestHost : IAsyncLifetime
{
    private readonly List<GatewayAppFactory<Program>> _apps = [];

    public PostgresDatabase Database { get; } = new();

    public string Prefix { get; } = RedisTestConnection.NewPrefix();

    public string QueueName { get; } = TestEnvironment.UniqueName("usage-");

    public RedisConnection Redis { get; private set; } = null!;

    /// <summary>The usage queue as the Functions trigger reads it: Base64 messages.</summary>
    public QueueClient Queue { get; }

    public QueueClient PoisonQueue { get; }

    public IngestHost()
    {
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        Queue = new QueueClient(TestEnvironment.StorageConnectionString, QueueName, options);
        PoisonQueue = new QueueClient(TestEnvironment.StorageConnectionString, QueueName + "-poison", options);
    }

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        Redis = RedisTestConnection.Create(Prefix);
        await Queue.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await Queue.DeleteIfExistsAsync();
        await PoisonQueue.DeleteIfExistsAsync();
        await Redis.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>The settings of an ingest app on this test's stores; the standalone consumer is off unless asked for.</summary>
    public Dictionary<string, string?> Settings(bool consumer = false) => new()
    {
        ["ConnectionStrings:Postgres"] = Database.ConnectionString,
        ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
        ["Redis:KeyPrefix"] = Prefix,
        ["ConfigRefresh:RunOnStartup"] = "false",
        ["UsageQueueName"] = QueueName,
        ["UsageQueueStorage"] = TestEnvironment.StorageConnectionString,
        ["UsageConsumer:Enabled"] = consumer ? "true" : "false",
        ["UsageConsumer:PollInterval"] = "00:00:00.050",
    };

    public async Task<GatewayAppFactory<Program>> StartAsync(Dictionary<string, string?>? settings = null)
    {
        var app = await GatewayApps.StartAsync<Program>(settings ?? Settings());
        _apps.Add(app);
        return app;
    }

    public async Task<long> CounterAsync(string name)
    {
        var db = await Redis.GetDatabaseAsync();
        var value = await db.StringGetAsync(Redis.Key(name));
        return value.IsNull ? 0 : (long)value;
    }

    public Task<long> KeyTotalAsync(string keyId) => CounterAsync(SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, keyId));

    public async Task<int> CountEventsAsync(string? eventId = null)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(eventId is null ? "SELECT count(*) FROM events" : "SELECT count(*) FROM events WHERE event_id = $1", connection);
        if (eventId is not null)
        {
            command.Parameters.AddWithValue(eventId);
        }

        return (int)(long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>One <c>events</c> row as column name → value, or null.</summary>
    public async Task<Dictionary<string, object?>?> EventRowAsync(string eventId)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT * FROM events WHERE event_id = $1", connection);
        command.Parameters.AddWithValue(eventId);
        await using var reader = await command.ExecuteReaderAsync();
        if (!await reader.ReadAsync())
        {
            return null;
        }

        var row = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < reader.FieldCount; i++)
        {
            row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
        }

        return row;
    }

    /// <summary>A chat event of <paramref name="keyId"/> with provider usage: gpt-4o, 1000 prompt and 500 completion tokens ($0.0075).</summary>
    public static UsageEventMessage ChatEvent(string keyId, string? eventId = null, DateTimeOffset? at = null) => new()
    {
        EventId = eventId ?? Guid.CreateVersion7().ToString(),
        CreatedAtUnixMs = (at ?? DateTimeOffset.UtcNow).ToUnixTimeMilliseconds(),
        KeyId = keyId,
        Tags = ["team-a"],
        Provider = "openai",
        Model = "gpt-4o",
        Path = "/api/providers/openai/v1/chat/completions",
        Method = "POST",
        Status = 200,
        LatencyMs = 123,
        Usage = new TokenUsage { PromptTokens = 1000, CompletionTokens = 500 },
    };

    /// <summary>
    /// A schema-2 batch message, built with System.Text.Json as the publisher's encoder would: each
    /// element a <see cref="UsageEventMessage"/> or raw JSON text (to make a malformed one).
    /// </summary>
    public static byte[] Batch(params object[] elements)
    {
        var events = new System.Text.Json.Nodes.JsonArray();
        foreach (var element in elements)
        {
            events.Add(element is UsageEventMessage message
                ? System.Text.Json.Nodes.JsonNode.Parse(Gateway.Domain.Usage.Transport.UsageMessageCodec.Serialize(message))
                : System.Text.Json.Nodes.JsonNode.Parse((string)element));
        }

        var batch = new System.Text.Json.Nodes.JsonObject { ["schemaVersion"] = 2, ["batchId"] = Guid.CreateVersion7().ToString(), ["events"] = events };
        return System.Text.Encoding.UTF8.GetBytes(batch.ToJsonString());
    }

    /// <summary>The sum of the key's applied events in the ledger, in nano-dollars rounded per event (what the counters must hold).</summary>
    public async Task<long> LedgerNanoDollarsAsync(string keyId)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COALESCE(SUM(ROUND(cost_in_usd * 1000000000)), 0)::bigint FROM events WHERE key_id = $1 AND spend_applied", connection);
        command.Parameters.AddWithValue(keyId);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>1000 × $2.50 + 500 × $10.00 per 1M tokens, in nano-dollars.</summary>
    public const long ChatEventNanoDollars = 7_500_000;
}
