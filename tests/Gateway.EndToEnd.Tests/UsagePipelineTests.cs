extern alias admin;
extern alias ingest;
extern alias proxy;

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Limits;
using Gateway.Domain.Redis;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using Npgsql;

namespace Gateway.EndToEnd.Tests;

/// <summary>
/// The whole usage pipeline with real PostgreSQL, Redis and Azurite: an SDK-shaped request through
/// the proxy, its usage event on the Storage queue, the ingest app storing and charging it, and the
/// admin API's <c>GET /api/events</c> showing it.
/// </summary>
public sealed class UsagePipelineTests : IAsyncLifetime
{
    private const string AdminSecret = "e2e-admin-secret-7f3a";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly PostgresDatabase _database = new();
    private readonly string _prefix = RedisTestConnection.NewPrefix();
    private readonly string _queue = TestEnvironment.UniqueName("e2e-usage-");
    private readonly string _encryptionKey = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());
    private readonly List<IAsyncDisposable> _apps = [];
    private FakeLlmServer _upstream = null!;
    private RedisConnection _redis = null!;
    private HttpClient _admin = null!;
    private HttpClient _proxy = null!;
    private string _keyId = string.Empty;

    public async Task InitializeAsync()
    {
        await _database.InitializeAsync();
        _redis = RedisTestConnection.Create(_prefix);
        _upstream = await FakeLlmServer.StartAsync();

        var common = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = _database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = _prefix,
            ["Encryption:Key"] = _encryptionKey,
            ["UsageQueueStorage"] = TestEnvironment.StorageConnectionString,
            ["UsageQueueName"] = _queue,
        };

        var adminApp = await GatewayApps.StartAsync<admin::Program>(With(common, new() { ["Admin:Secret"] = AdminSecret }));
        _apps.Add(adminApp);
        _admin = new HttpClient { BaseAddress = adminApp.BaseAddress };
        _admin.DefaultRequestHeaders.Add("X-API-KEY", AdminSecret);

        var ingestApp = await GatewayApps.StartAsync<ingest::Program>(With(common, new()
        {
            ["ConfigRefresh:RunOnStartup"] = "false",
            ["UsageConsumer:PollInterval"] = "00:00:00.050",
        }));
        _apps.Add(ingestApp);

        var proxyApp = await GatewayApps.StartAsync<proxy::Program>(With(common, new()
        {
            ["Providers:OpenAI:BaseUrl"] = _upstream.BaseUrl.ToString().TrimEnd('/'),
            ["ConfigCache:VersionCheckInterval"] = "00:00:00.200",
            ["UsagePublisher:Linger"] = "00:00:00.010",
        }));
        _apps.Add(proxyApp);

        // A provider setting and a key with a spend limit, through the admin API (PostgreSQL, then the config cache).
        var setting = await OkAsync(_admin.PostAsync("/api/provider-settings", Json("""{"provider":"openai","setting":{"apikey":"sk-upstream-e2e"}}""")));
        var rawKey = "gw-e2e-" + Guid.NewGuid().ToString("n");
        var key = await OkAsync(_admin.PutAsync("/api/key-management/keys", Json($$"""{"name":"e2e","key":"{{rawKey}}","settingIds":["{{setting["id"]}}"],"costLimitInUsd":100}""")));
        _keyId = (string)key["keyId"]!;
        _proxy = new HttpClient { BaseAddress = proxyApp.BaseAddress };
        _proxy.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        _proxy?.Dispose();
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.DisposeAsync();
        }

        await new Azure.Storage.Queues.QueueClient(TestEnvironment.StorageConnectionString, _queue).DeleteIfExistsAsync();
        await _upstream.DisposeAsync();
        await _redis.DisposeAsync();
        await _database.DisposeAsync();
    }

    [Fact]
    public async Task ChatRequests_NonStreamingAndStreaming_AreStoredCostedAndChargedThroughTheQueue()
    {
        // The fake provider counts a token per word: 5 prompt words; its default answer's words are the completion.
        using var plain = await SendWithRetryAsync("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Say hello in five words"}]}""");
        var plainBody = JsonNode.Parse(await plain.Content.ReadAsStringAsync())!;
        var plainUsage = (Prompt: (int)plainBody["usage"]!["prompt_tokens"]!, Completion: (int)plainBody["usage"]!["completion_tokens"]!);

        using var streamed = await SendWithRetryAsync("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Say hello in five words"}]}""");
        var sse = await streamed.Content.ReadAsStringAsync();
        Assert.Contains("data: [DONE]", sse);

        var events = await WaitForEventsAsync(2);

        foreach (var e in events)
        {
            Assert.Equal(_keyId, (string?)e["key_id"]);
            Assert.Equal("openai", (string?)e["provider"]);
            Assert.Equal("gpt-4o-mini", (string?)e["model"]);
            Assert.Equal(200, (int)e["status"]!);
            Assert.Equal("POST", (string?)e["method"]);
            Assert.Equal("/api/providers/openai/v1/chat/completions", (string?)e["path"]);
            Assert.Equal(plainUsage.Prompt, (int)e["prompt_token_count"]!);
            Assert.Equal(plainUsage.Completion, (int)e["completion_token_count"]!);

            // gpt-4o-mini: $0.15 and $0.60 per 1M tokens.
            var expected = ((plainUsage.Prompt * 0.15m) + (plainUsage.Completion * 0.60m)) / 1_000_000m;
            Assert.Equal((double)expected, (double)e["cost_in_usd"]!, 12);
        }

        // The streamed request got exact usage from the usage chunk the proxy asked for.
        // Rows are visible before their spend is marked applied (the last of ingest's three steps): wait for both.
        await using var connection = new NpgsqlConnection(_database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM events WHERE key_id = $1 AND spend_applied AND NOT usage_estimated AND NOT unknown_model", connection);
        command.Parameters.AddWithValue(_keyId);
        await Eventually.AssertAsync(() => (long)command.ExecuteScalar()! == 2L, TimeSpan.FromSeconds(20), "both events are charged with provider-reported usage");

        var nanoDollars = SpendCounterKeys.ToNanoDollars(((plainUsage.Prompt * 0.15m) + (plainUsage.Completion * 0.60m)) / 1_000_000m);
        var redis = await _redis.GetDatabaseAsync();
        Assert.Equal(2 * nanoDollars, (long)await redis.StringGetAsync(_redis.Key(SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, _keyId))));
    }

    private async Task<HttpResponseMessage> SendWithRetryAsync(string body)
    {
        // The proxy sees the new key within its config version check.
        for (var attempt = 0; ; attempt++)
        {
            var response = await _proxy.PostAsync("/api/providers/openai/v1/chat/completions", Json(body));
            if (response.StatusCode == HttpStatusCode.OK || attempt >= 50)
            {
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                return response;
            }

            response.Dispose();
            await Task.Delay(100);
        }
    }

    private async Task<List<JsonNode>> WaitForEventsAsync(int count)
    {
        List<JsonNode> events = [];
        var start = DateTimeOffset.UtcNow.AddMinutes(-5).ToUnixTimeSeconds();
        await Eventually.AssertAsync(
            () =>
            {
                var end = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
                using var response = _admin.GetAsync($"/api/events?keyIds={_keyId}&start={start}&end={end}").Result;
                var text = response.Content.ReadAsStringAsync().Result;
                events = response.StatusCode == HttpStatusCode.OK ? [.. JsonNode.Parse(text)!.AsArray().Select(e => e!)] : [];
                return events.Count >= count;
            },
            Patience,
            $"GET /api/events lists {count} events of the key");
        return events;
    }

    private static async Task<JsonNode> OkAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static Dictionary<string, string?> With(Dictionary<string, string?> common, Dictionary<string, string?> extra)
    {
        var all = new Dictionary<string, string?>(common);
        foreach (var (name, value) in extra)
        {
            all[name] = value;
        }

        return all;
    }
}
