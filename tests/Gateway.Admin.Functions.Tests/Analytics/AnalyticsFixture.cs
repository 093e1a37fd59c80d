using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Keys;
using Gateway.Domain.Usage;
using Gateway.Testing;

namespace Gateway.Admin.Functions.Tests.Analytics;

/// <summary>
/// The admin app on Kestrel over a fresh migrated database owned by one test class, with an admin
/// secret set. Tests that share it isolate themselves with their own key ids and their own time
/// window (<see cref="NewWindow"/>), so no test sees another's events.
/// </summary>
public class AnalyticsFixture : IAsyncLifetime
{
    public const string AdminSecret = "analytics-test-secret";

    /// <summary>2023-11-15T00:00:00Z: windows start at a UTC midnight, which the by-day tests rely on.</summary>
    private const long FirstWindow = 1_700_006_400;

    private const long WindowSeconds = 100 * 86_400;

    private long _windows;

    public PostgresDatabase Postgres { get; } = new();

    public GatewayAppFactory<Program> App { get; private set; } = null!;

    public HttpClient Client { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        await Postgres.InitializeAsync();
        App = await GatewayApps.StartAsync<Program>(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = Postgres.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = RedisTestConnection.NewPrefix(),
            ["Admin:Secret"] = AdminSecret,
            ["Encryption:Key"] = Convert.ToBase64String(new byte[32]),
        });
        Client = new HttpClient { BaseAddress = App.BaseAddress };
        Client.DefaultRequestHeaders.Add("X-API-KEY", AdminSecret);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Postgres.DisposeAsync();
    }

    /// <summary>A UTC midnight no other test of this fixture uses; 100 days of room after it.</summary>
    public long NewWindow() => FirstWindow + (Interlocked.Increment(ref _windows) * WindowSeconds);

    public async Task SeedAsync(params UsageEvent[] events)
    {
        await using var db = Postgres.CreateDbContext();
        db.Events.AddRange(events);
        await db.SaveChangesAsync();
    }

    public async Task SeedKeysAsync(params ApiKey[] keys)
    {
        await using var db = Postgres.CreateDbContext();
        db.Keys.AddRange(keys);
        await db.SaveChangesAsync();
    }

    public Task<HttpResponseMessage> PostJsonAsync(string path, string json)
        => Client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

    public async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"expected 200, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(text)!;
    }

    public async Task<JsonNode> PostForJsonAsync(string path, string json)
    {
        using var response = await PostJsonAsync(path, json);
        return await ReadJsonAsync(response);
    }

    public async Task<JsonNode> GetForJsonAsync(string pathAndQuery)
    {
        using var response = await Client.GetAsync(pathAndQuery);
        return await ReadJsonAsync(response);
    }

    /// <summary>BricksLLM's problem shape, as <c>application/problem+json</c>, and its detail.</summary>
    public static async Task<string> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type, string path)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int)problem["status"]!);
        Assert.Equal(type, (string?)problem["type"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.Equal(path, (string?)problem["instance"]);
        var detail = (string?)problem["detail"];
        Assert.False(string.IsNullOrEmpty(detail));
        return detail!;
    }

    public static UsageEvent Event(
        long createdAt,
        string keyId,
        decimal cost = 0m,
        int latency = 0,
        int prompt = 0,
        int completion = 0,
        int status = 200,
        string model = "gpt-4o",
        string? customId = null,
        string? userId = null,
        string[]? tags = null,
        string? policyId = null,
        string? action = null) => new()
        {
            EventId = Guid.NewGuid().ToString(),
            CreatedAt = createdAt,
            KeyId = keyId,
            CostInUsd = cost,
            LatencyInMs = latency,
            PromptTokenCount = prompt,
            CompletionTokenCount = completion,
            StatusCode = status,
            Provider = "openai",
            Model = model,
            Path = "/api/providers/openai/v1/chat/completions",
            Method = "POST",
            CustomId = customId,
            UserId = userId,
            Tags = [.. tags ?? []],
            PolicyId = policyId,
            Action = action,
        };

    public static ApiKey Key(string name, long createdAt, bool revoked = false, params string[] tags) => new()
    {
        KeyId = Guid.NewGuid().ToString(),
        Name = name,
        KeyHash = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()) + Convert.ToHexStringLower(Guid.NewGuid().ToByteArray()),
        CreatedAt = createdAt,
        UpdatedAt = createdAt,
        Revoked = revoked,
        Tags = [.. tags],
    };

    public static string NewId(string prefix) => prefix + "-" + Guid.NewGuid().ToString("n")[..12];

    /// <summary>
    /// PostgreSQL's <c>percentile_cont(p)</c>: sort, take the fractional rank <c>p * (n - 1)</c>,
    /// interpolate linearly between the two values around it.
    /// </summary>
    public static double PercentileCont(IEnumerable<int> values, double p)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        var rank = p * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = (int)Math.Ceiling(rank);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }
}
