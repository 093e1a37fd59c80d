using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Gateway.Domain.Redis;
using Gateway.Domain.Usage.Publishing;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Gateway.Functions.Tests.Config;

/// <summary>
/// Several proxy instances on loopback sharing one Redis (the shared server under a fresh prefix,
/// or a private <see cref="RedisServerProcess"/>) in front of one fake provider.
/// </summary>
public sealed class ProxyFleet : IAsyncDisposable
{
    public const string ChatPath = "/api/providers/openai/v1/chat/completions";

    private readonly List<GatewayAppFactory<Program>> _apps = [];
    private readonly List<HttpClient> _clients = [];

    private ProxyFleet(FakeLlmServer upstream, RedisConnection redis, string prefix)
    {
        Upstream = upstream;
        Redis = redis;
        Prefix = prefix;
        Writer = new ConfigCacheWriter(redis);
    }

    public FakeLlmServer Upstream { get; }

    public RedisConnection Redis { get; }

    public string Prefix { get; }

    public ConfigCacheWriter Writer { get; }

    public IReadOnlyList<GatewayAppFactory<Program>> Apps => _apps;

    /// <summary>Starts <paramref name="instances"/> proxies on <paramref name="redisConnectionString"/> (default: the shared server).</summary>
    public static async Task<ProxyFleet> StartAsync(int instances, string? redisConnectionString = null, IDictionary<string, string?>? settings = null)
    {
        var prefix = RedisTestConnection.NewPrefix();
        var connectionString = redisConnectionString ?? TestEnvironment.RedisConnectionString;
        var redis = new RedisConnection(Microsoft.Extensions.Options.Options.Create(new RedisOptions { ConnectionString = connectionString, KeyPrefix = prefix }));
        var fleet = new ProxyFleet(await FakeLlmServer.StartAsync(), redis, prefix);
        for (var i = 0; i < instances; i++)
        {
            var all = new Dictionary<string, string?>
            {
                ["ConnectionStrings:Redis"] = connectionString,
                ["Redis:KeyPrefix"] = prefix,
                ["Encryption:Key"] = ProxyTestHost.EncryptionKey,
                ["Providers:OpenAI:BaseUrl"] = fleet.Upstream.BaseUrl.ToString().TrimEnd('/'),
                ["UsagePublisher:Linger"] = "00:00:00.010",
            };
            foreach (var (name, value) in settings ?? new Dictionary<string, string?>())
            {
                all[name] = value;
            }

            var events = new RecordingUsageTransport();
            var app = await GatewayApps.StartAsync<Program>(all, services =>
            {
                services.RemoveAll<IUsageEventTransport>();
                services.AddSingleton<IUsageEventTransport>(events);
            });
            fleet._apps.Add(app);
            fleet._clients.Add(new HttpClient { BaseAddress = app.BaseAddress });
        }

        return fleet;
    }

    public ConfigSnapshotHolder Config(int instance) => _apps[instance].Services.GetRequiredService<ConfigSnapshotHolder>();

    /// <summary>A provider setting with an encrypted credential, written through the config cache writer.</summary>
    public async Task<ProviderSetting> AddSettingAsync()
    {
        var setting = NewSetting();
        await Writer.UpsertAsync(setting);
        return setting;
    }

    public static ProviderSetting NewSetting()
    {
        var setting = TestData.NewSetting();
        var protector = new CredentialProtector(Microsoft.Extensions.Options.Options.Create(new EncryptionOptions { Key = ProxyTestHost.EncryptionKey }));
        setting.EncryptedSecrets = protector.Protect(new Dictionary<string, string> { ["apikey"] = ProxyTestHost.UpstreamOpenAiKey });
        return setting;
    }

    /// <summary>A chat request on instance <paramref name="instance"/>; returns its status and how long the answer took.</summary>
    public async Task<(HttpStatusCode Status, TimeSpan Elapsed, HttpResponseHeaders Headers)> ChatAsync(int instance, string rawKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, ChatPath)
        {
            Content = new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", rawKey);
        var watch = Stopwatch.StartNew();
        using var response = await _clients[instance].SendAsync(request);
        _ = await response.Content.ReadAsByteArrayAsync();
        return (response.StatusCode, watch.Elapsed, response.Headers);
    }

    /// <summary>Polls every instance until each answers <paramref name="expected"/> for <paramref name="rawKey"/>; returns how long it took.</summary>
    public async Task<TimeSpan> UntilEveryInstanceAnswersAsync(string rawKey, HttpStatusCode expected, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        var pending = Enumerable.Range(0, _apps.Count).ToHashSet();
        while (pending.Count > 0)
        {
            foreach (var instance in pending.ToList())
            {
                if ((await ChatAsync(instance, rawKey)).Status == expected)
                {
                    pending.Remove(instance);
                }
            }

            if (pending.Count > 0)
            {
                if (watch.Elapsed > timeout)
                {
                    throw new TimeoutException($"instances {string.Join(", ", pending)} did not answer {(int)expected} within {timeout.TotalMilliseconds} ms");
                }

                await Task.Delay(10);
            }
        }

        return watch.Elapsed;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var client in _clients)
        {
            client.Dispose();
        }

        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
