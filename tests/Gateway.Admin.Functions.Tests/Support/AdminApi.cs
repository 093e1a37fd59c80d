using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Redis;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Admin.Functions.Tests.Support;

/// <summary>
/// The admin app running on Kestrel against a fresh PostgreSQL database and Redis key prefix
/// owned by one test class, with an HTTP client that sends the admin secret.
/// </summary>
public sealed class AdminApi : IAsyncDisposable
{
    public const string Secret = "test-admin-secret-4f1c2b";

    private AdminApi(PostgresDatabase database, string redisPrefix, string encryptionKey, CapturedLogs logs, GatewayAppFactory<Program> app)
    {
        Database = database;
        RedisPrefix = redisPrefix;
        EncryptionKey = encryptionKey;
        Logs = logs;
        App = app;
        Client = new HttpClient { BaseAddress = app.BaseAddress };
        Client.DefaultRequestHeaders.Add("X-API-KEY", Secret);
    }

    public PostgresDatabase Database { get; }

    public string RedisPrefix { get; }

    public string EncryptionKey { get; }

    public CapturedLogs Logs { get; }

    public GatewayAppFactory<Program> App { get; }

    /// <summary>Sends <c>X-API-KEY</c>.</summary>
    public HttpClient Client { get; }

    public static string NewEncryptionKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    /// <param name="services">Replaces services of the app (registered after the app's own), e.g. a frozen <see cref="TimeProvider"/>.</param>
    public static async Task<AdminApi> StartAsync(Action<Dictionary<string, string?>>? configure = null, Action<IServiceCollection>? services = null)
    {
        var database = new PostgresDatabase();
        await database.InitializeAsync();
        var prefix = RedisTestConnection.NewPrefix();
        var encryptionKey = NewEncryptionKey();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = database.ConnectionString,
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = prefix,
            ["Admin:Secret"] = Secret,
            ["Encryption:Key"] = encryptionKey,
            ["Logging:LogLevel:Default"] = "Trace",
        };
        configure?.Invoke(settings);
        var logs = new CapturedLogs();
        var app = await StartAppAsync(settings, logs, services);
        return new AdminApi(database, prefix, encryptionKey, logs, app);
    }

    /// <summary>Starts the admin app (with the port-race retry of <see cref="GatewayApps"/>), capturing its logs.</summary>
    public static Task<GatewayAppFactory<Program>> StartAppAsync(Dictionary<string, string?> settings, CapturedLogs logs, Action<IServiceCollection>? configure = null)
        => GatewayApps.StartAsync<Program>(settings, services =>
        {
            services.AddSingleton<ILoggerProvider>(logs);
            configure?.Invoke(services);
        });

    public RedisConnection CreateRedis() => RedisTestConnection.Create(RedisPrefix);

    public Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? json = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return Client.SendAsync(request);
    }

    /// <summary>Sends and asserts 200; returns the parsed body.</summary>
    public async Task<JsonNode> OkAsync(HttpMethod method, string path, string? json = null)
    {
        using var response = await SendAsync(method, path, json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path}: expected 200, got {(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    /// <summary>Sends and asserts a problem+json answer with <paramref name="status"/>; returns the problem.</summary>
    public async Task<JsonObject> ProblemAsync(HttpMethod method, string path, string? json, HttpStatusCode status)
    {
        using var response = await SendAsync(method, path, json);
        return await AssertProblemAsync(response, status);
    }

    public static async Task<JsonObject> AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(text)!.AsObject();
        Assert.Equal((int)status, (int?)problem["status"]);
        Assert.StartsWith("/errors/", (string?)problem["type"]);
        Assert.False(string.IsNullOrEmpty((string?)problem["title"]));
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]));
        Assert.Equal(response.RequestMessage!.RequestUri!.AbsolutePath, (string?)problem["instance"]);
        return problem;
    }

    /// <summary>An openai provider setting; returns its id.</summary>
    public async Task<string> CreateSettingAsync(string provider = "openai", string? settingJson = null)
    {
        settingJson ??= provider switch
        {
            "azure" => """{"apikey":"azure-secret-000000000001","resourceName":"my-resource"}""",
            "vllm" => """{"url":"http://127.0.0.1:8000"}""",
            _ => """{"apikey":"sk-test-000000000000000001"}""",
        };
        var created = await OkAsync(HttpMethod.Post, "/api/provider-settings", $$"""{"provider":"{{provider}}","setting":{{settingJson}}}""");
        return (string)created["id"]!;
    }

    /// <summary>A key on <paramref name="settingId"/>; <paramref name="extraJson"/> is spliced into the body (e.g. <c>"tags":["a"]</c>).</summary>
    public async Task<JsonObject> CreateKeyAsync(string settingId, string? rawKey = null, string? extraJson = null, string name = "test key")
    {
        rawKey ??= "gw-" + Guid.NewGuid().ToString("n");
        var extra = extraJson is null ? string.Empty : "," + extraJson;
        var created = await OkAsync(HttpMethod.Put, "/api/key-management/keys", $$"""{"name":"{{name}}","key":"{{rawKey}}","settingIds":["{{settingId}}"]{{extra}}}""");
        return created.AsObject();
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.DisposeAsync();
        await Database.DisposeAsync();
        await DeleteRedisKeysAsync();
    }

    private async Task DeleteRedisKeysAsync()
    {
        try
        {
            await using var redis = StackExchange.Redis.ConnectionMultiplexer.Connect(TestEnvironment.RedisConnectionString);
            var db = redis.GetDatabase();
            foreach (var endpoint in redis.GetEndPoints())
            {
                await foreach (var key in redis.GetServer(endpoint).KeysAsync(pattern: RedisPrefix + "*"))
                {
                    await db.KeyDeleteAsync(key);
                }
            }
        }
        catch (StackExchange.Redis.RedisException)
        {
            // Cleanup only: a class whose Redis was deliberately unreachable has nothing to delete.
        }
    }
}
