extern alias admin;
extern alias proxy;

using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Usage;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using Microsoft.Playwright;

namespace Gateway.Dashboard.Tests;

/// <summary>
/// The admin app and the proxy on real Kestrel over real PostgreSQL, Redis and Azurite, a fake
/// OpenAI upstream, seeded keys and events, and Debian's headless Chromium driven by Playwright.
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string AdminSecret = "dashboard-admin-secret-6c1f0e";

    /// <summary>Chromium from Debian's package (scripts/services.sh installs it); Playwright downloads no browser.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private readonly string _prefix = RedisTestConnection.NewPrefix();
    private readonly string _queue = TestEnvironment.UniqueName("dash-usage-");
    private readonly List<IAsyncDisposable> _apps = [];
    private FakeLlmServer _upstream = null!;

    public PostgresDatabase Database { get; } = new();

    /// <summary>The provider credential behind every key: must never reach the browser.</summary>
    public string ProviderCredential { get; } = "sk-upstream-dashboard-" + Guid.NewGuid().ToString("n");

    public Uri AdminBase { get; private set; } = null!;

    public HttpClient Admin { get; private set; } = null!;

    public HttpClient Proxy { get; private set; } = null!;

    public IPlaywright Playwright { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    public string SettingId { get; private set; } = string.Empty;

    public IReadOnlyList<SeededKey> Keys { get; private set; } = [];

    public IReadOnlyList<UsageEvent> Events { get; private set; } = [];

    public async Task InitializeAsync()
    {
        await Database.InitializeAsync();
        _upstream = await FakeLlmServer.StartAsync();
        var common = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = Database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = _prefix,
            ["Encryption:Key"] = Convert.ToBase64String(Enumerable.Range(3, 32).Select(i => (byte)i).ToArray()),
            ["UsageQueueStorage"] = TestEnvironment.StorageConnectionString,
            ["UsageQueueName"] = _queue,
        };

        var adminApp = await GatewayApps.StartAsync<admin::Program>(new Dictionary<string, string?>(common) { ["Admin:Secret"] = AdminSecret });
        _apps.Add(adminApp);
        AdminBase = adminApp.BaseAddress;
        Admin = new HttpClient { BaseAddress = AdminBase };
        Admin.DefaultRequestHeaders.Add("X-API-KEY", AdminSecret);

        var proxyApp = await GatewayApps.StartAsync<proxy::Program>(new Dictionary<string, string?>(common)
        {
            ["Providers:OpenAI:BaseUrl"] = _upstream.BaseUrl.ToString().TrimEnd('/'),
            ["ConfigCache:VersionCheckInterval"] = "00:00:00.200",
            ["UsagePublisher:Linger"] = "00:00:00.010",
        });
        _apps.Add(proxyApp);
        Proxy = new HttpClient { BaseAddress = proxyApp.BaseAddress };

        await SeedAsync();

        Playwright = await Microsoft.Playwright.Playwright.CreateAsync();
        Browser = await Playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // Playwright gives every launch a fresh, temporary user-data-dir of its own.
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        Playwright?.Dispose();
        Admin?.Dispose();
        Proxy?.Dispose();
        foreach (var app in Enumerable.Reverse(_apps))
        {
            await app.DisposeAsync();
        }

        await new Azure.Storage.Queues.QueueClient(TestEnvironment.StorageConnectionString, _queue).DeleteIfExistsAsync();
        await _upstream.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>Sends a chat completion through the proxy with <paramref name="rawKey"/>.</summary>
    public async Task<HttpStatusCode> CallProxyAsync(string rawKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/providers/openai/v1/chat/completions")
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hello there"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", rawKey);
        using var response = await Proxy.SendAsync(request);
        return response.StatusCode;
    }

    public async Task<JsonNode> AdminJsonAsync(HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Admin.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    private async Task SeedAsync()
    {
        var setting = await AdminJsonAsync(HttpMethod.Put, "/api/provider-settings", $$$"""{"provider":"openai","name":"OpenAI main","setting":{"apikey":"{{{ProviderCredential}}}"}}""");
        SettingId = (string)setting["id"]!;

        var keys = new List<SeededKey>();
        foreach (var (name, tag, limit) in new[] { ("Team Alpha", "alpha", 5m), ("Team Beta", "beta", 0m) })
        {
            var raw = "gw-seed-" + Guid.NewGuid().ToString("n");
            var limits = limit > 0 ? $",\"costLimitInUsd\":{limit},\"rateLimitOverTime\":100,\"rateLimitUnit\":\"h\"" : string.Empty;
            var key = await AdminJsonAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"{{name}}","key":"{{raw}}","tags":["{{tag}}"],"settingIds":["{{SettingId}}"]{{limits}}}""");
            keys.Add(new SeededKey((string)key["keyId"]!, name, tag, raw));
        }

        Keys = keys;

        // A key past its ttl: the dashboard shows it expired.
        await AdminJsonAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"Old key","key":"gw-old-{{Guid.NewGuid():n}}","tags":["old"],"settingIds":["{{SettingId}}"],"ttl":"1s"}""");

        // Events in the last hour with known totals: two keys, three models, two providers, an error.
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var events = new List<UsageEvent>
        {
            Event(keys[0], now - 1500, "openai", "gpt-4o-mini", 200, 120, 30, 0.0125m, 180, "cust-1", "user-1"),
            Event(keys[0], now - 1200, "openai", "gpt-4o-mini", 200, 80, 20, 0.0075m, 220, "cust-2", "user-1"),
            Event(keys[0], now - 900, "openai", "gpt-4o", 500, 60, 0, 0.002m, 900, "cust-3", "user-2"),
            Event(keys[1], now - 600, "anthropic", "claude-3-5-haiku", 200, 200, 50, 0.03m, 400, "cust-4", "user-3"),
            Event(keys[1], now - 300, "anthropic", "claude-3-5-haiku", 200, 40, 10, 0.001m, 300, "cust-5", "user-3"),
        };
        events[0].Request = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"logged prompt"}]}""";
        await using (var db = Database.CreateDbContext())
        {
            db.Events.AddRange(events);
            await db.SaveChangesAsync();
        }

        Events = events;
    }

    private static UsageEvent Event(SeededKey key, long createdAt, string provider, string model, int status, int prompt, int completion, decimal cost, int latency, string customId, string userId) => new()
    {
        EventId = Guid.NewGuid().ToString(),
        CreatedAt = createdAt,
        Tags = [key.Tag],
        KeyId = key.KeyId,
        Provider = provider,
        Model = model,
        StatusCode = status,
        PromptTokenCount = prompt,
        CompletionTokenCount = completion,
        CostInUsd = cost,
        LatencyInMs = latency,
        Path = "/api/providers/openai/v1/chat/completions",
        Method = "POST",
        CustomId = customId,
        UserId = userId,
        Action = "allowed",
        SpendApplied = true,
    };
}

public sealed record SeededKey(string KeyId, string Name, string Tag, string RawKey);

[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>
{
    public const string Name = "dashboard";
}
