extern alias admin;

using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Limits;
using Gateway.Domain.Redis;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using Npgsql;

namespace Gateway.EndToEnd.Tests;

/// <summary>
/// What a usage fault test owns: a database, a Redis prefix, a queue name, a fake provider, the admin
/// app (to create the provider setting and the key through the real write path), and the settings an
/// app of the stack runs with. Proxy and ingest are started by the test, in process or as processes.
/// </summary>
internal sealed class UsageStack : IAsyncDisposable
{
    private const string AdminSecret = "e2e-admin-secret-7f3a";

    private readonly string _encryptionKey = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    private readonly List<IAsyncDisposable> _owned = [];

    private UsageStack(string storage) => Storage = storage;

    public PostgresDatabase Database { get; } = new();

    public string Prefix { get; } = RedisTestConnection.NewPrefix();

    public string QueueName { get; } = TestEnvironment.UniqueName("e2e-usage-");

    public string Storage { get; }

    public FakeLlmServer Upstream { get; private set; } = null!;

    public RedisConnection Redis { get; private set; } = null!;

    public string KeyId { get; private set; } = string.Empty;

    public string RawKey { get; } = "gw-e2e-" + Guid.NewGuid().ToString("n");

    /// <summary>A stack on <paramref name="storage"/> (a private Azurite's connection string, or the shared one) with a key ready in the proxy's config cache.</summary>
    public static async Task<UsageStack> StartAsync(string storage)
    {
        var stack = new UsageStack(storage);
        await stack.Database.InitializeAsync();
        stack.Redis = RedisTestConnection.Create(stack.Prefix);
        stack.Upstream = await FakeLlmServer.StartAsync();
        var adminApp = await GatewayApps.StartAsync<admin::Program>(stack.Settings(new() { ["Admin:Secret"] = AdminSecret }));
        stack._owned.Add(adminApp);
        using var client = new HttpClient { BaseAddress = adminApp.BaseAddress };
        client.DefaultRequestHeaders.Add("X-API-KEY", AdminSecret);
        var setting = await OkAsync(client.PostAsync("/api/provider-settings", Json("""{"provider":"openai","setting":{"apikey":"sk-upstream-e2e"}}""")));
        var key = await OkAsync(client.PutAsync("/api/key-management/keys", Json($$"""{"name":"e2e","key":"{{stack.RawKey}}","settingIds":["{{setting["id"]}}"],"costLimitInUsd":1000}""")));
        stack.KeyId = (string)key["keyId"]!;
        return stack;
    }

    /// <summary>The settings every app of the stack shares, plus <paramref name="extra"/>.</summary>
    public Dictionary<string, string?> Settings(Dictionary<string, string?>? extra = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = Database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = Prefix,
            ["Encryption:Key"] = _encryptionKey,
            ["UsageQueueStorage"] = Storage,
            ["UsageQueueName"] = QueueName,
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (name, value) in extra ?? [])
        {
            all[name] = value;
        }

        return all;
    }

    /// <summary>Proxy settings: the fake provider, a fast config version check.</summary>
    public Dictionary<string, string?> ProxySettings() => Settings(new()
    {
        ["Providers:OpenAI:BaseUrl"] = Upstream.BaseUrl.ToString().TrimEnd('/'),
        ["ConfigCache:VersionCheckInterval"] = "00:00:00.200",
    });

    /// <summary>Ingest settings: the standalone consumer with its defaults; no rebuild during the test (it would race the assertions, not the pipeline).</summary>
    public Dictionary<string, string?> IngestSettings() => Settings(new()
    {
        ["ConfigRefresh:RunOnStartup"] = "false",
        ["ConfigRefreshSchedule"] = "0 0 0 1 1 *",
    });

    public static HttpClient ProxyClient(Uri baseAddress, string rawKey)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        return client;
    }

    public static StringContent Chat(string? customId = null)
    {
        var content = Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello in five words"}]}""");
        if (customId is not null)
        {
            content.Headers.Add("X-CUSTOM-EVENT-ID", customId);
        }

        return content;
    }

    /// <summary>Waits until the proxy has the key (its config cache): a request answers 200.</summary>
    public async Task WaitForKeyAsync(HttpClient proxy)
    {
        await Eventually.AssertAsync(
            () =>
            {
                using var response = proxy.PostAsync("/api/providers/openai/v1/chat/completions", Chat("warm-up")).Result;
                return response.StatusCode == HttpStatusCode.OK;
            },
            TimeSpan.FromSeconds(30),
            "the proxy knows the key");
    }

    /// <summary>(events of the key, applied events, ledger spend in nano-dollars rounded per event).</summary>
    public async Task<(long Events, long Applied, long NanoUsd)> LedgerAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), count(*) FILTER (WHERE spend_applied), COALESCE(SUM(ROUND(cost_in_usd * 1000000000)), 0)::bigint FROM events WHERE key_id = $1", connection);
        command.Parameters.AddWithValue(KeyId);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <summary>Rows and distinct custom ids of the key's events whose custom id starts with <paramref name="prefix"/>.</summary>
    public async Task<(long Rows, long Distinct)> EventsAsync(string prefix)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), count(DISTINCT custom_id) FROM events WHERE key_id = $1 AND starts_with(custom_id, $2)", connection);
        command.Parameters.AddWithValue(KeyId);
        command.Parameters.AddWithValue(prefix);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    public async Task<HashSet<string>> CustomIdsAsync()
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT custom_id FROM events WHERE key_id = $1 AND custom_id IS NOT NULL", connection);
        command.Parameters.AddWithValue(KeyId);
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    public async Task<long> KeySpendCounterAsync()
    {
        var value = await (await Redis.GetDatabaseAsync()).StringGetAsync(Redis.Key(SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, KeyId)));
        return value.IsNull ? 0 : (long)value;
    }

    public void Own(IAsyncDisposable disposable) => _owned.Add(disposable);

    public async ValueTask DisposeAsync()
    {
        foreach (var owned in Enumerable.Reverse(_owned))
        {
            await owned.DisposeAsync();
        }

        await new Azure.Storage.Queues.QueueClient(Storage, QueueName).DeleteIfExistsAsync();
        await Upstream.DisposeAsync();
        await Redis.DisposeAsync();
        await Database.DisposeAsync();
    }

    private static async Task<JsonNode> OkAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
