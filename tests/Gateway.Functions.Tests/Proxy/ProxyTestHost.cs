using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Gateway.Domain.Redis;
using Gateway.Domain.Usage.Publishing;
using Gateway.Testing;
using Gateway.Testing.FakeLlm;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Tests.Proxy;

/// <summary>
/// A running proxy on loopback in front of the fake provider, with real Redis (its own key
/// prefix) and a recording queue transport behind the real publisher.
/// </summary>
public sealed class ProxyTestHost : IAsyncLifetime, IAsyncDisposable
{
    public const string UpstreamOpenAiKey = "sk-upstream-openai-0001";
    public static readonly string EncryptionKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());

    private readonly Dictionary<string, string?> _extraSettings;
    private readonly Action<IServiceCollection>? _services;
    private GatewayAppFactory<Program>? _app;

    public ProxyTestHost(Dictionary<string, string?>? extraSettings = null, Action<IServiceCollection>? services = null)
    {
        _extraSettings = extraSettings ?? [];
        _services = services;
    }

    public FakeLlmServer Upstream { get; private set; } = null!;

    public RedisConnection Redis { get; private set; } = null!;

    public string Prefix { get; } = RedisTestConnection.NewPrefix();

    public RecordingUsageTransport Events { get; } = new();

    public GatewayAppFactory<Program> App => _app!;

    public Uri BaseAddress => App.BaseAddress;

    public CredentialProtector Protector { get; } = new(Options.Create(new EncryptionOptions { Key = EncryptionKey }));

    public async Task InitializeAsync()
    {
        Upstream = await FakeLlmServer.StartAsync();
        Redis = RedisTestConnection.Create(Prefix);
        var upstream = Upstream.BaseUrl.ToString().TrimEnd('/');
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = Prefix,
            ["Encryption:Key"] = EncryptionKey,
            ["ConfigCache:VersionCheckInterval"] = "00:00:00.200",
            ["Providers:OpenAI:BaseUrl"] = upstream,
            ["Providers:Anthropic:BaseUrl"] = upstream,
            ["Providers:Azure:BaseUrl"] = upstream,
            ["Providers:Bedrock:BaseUrl"] = upstream,
            ["Providers:DeepInfra:BaseUrl"] = upstream + "/v1/openai",
            ["UsagePublisher:Linger"] = "00:00:00.010",
        };
        foreach (var (name, value) in _extraSettings)
        {
            settings[name] = value;
        }

        _app = await StartAppAsync(settings, Events, _services);
    }

    /// <summary>
    /// A proxy app with what every proxy needs in tests (Redis, an encryption key, a queue
    /// transport that records) under <paramref name="settings"/>, which win.
    /// </summary>
    /// <summary><see cref="CreateApp"/>, started, retrying WebApplicationFactory's port-setup race (see <see cref="GatewayApps"/>).</summary>
    public static async Task<GatewayAppFactory<Program>> StartAppAsync(IDictionary<string, string?> settings, RecordingUsageTransport? events = null, Action<IServiceCollection>? configure = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var app = CreateApp(settings, events, configure);
            try
            {
                _ = app.BaseAddress;
                return app;
            }
            catch (Exception ex) when (attempt < 5 && ex is InvalidOperationException or ObjectDisposedException or IOException)
            {
                await app.DisposeAsync();
            }
        }
    }

    public static GatewayAppFactory<Program> CreateApp(IDictionary<string, string?> settings, RecordingUsageTransport? events = null, Action<IServiceCollection>? configure = null)
    {
        var all = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = RedisTestConnection.NewPrefix(),
            ["Encryption:Key"] = EncryptionKey,
        };
        foreach (var (name, value) in settings)
        {
            all[name] = value;
        }

        var transport = events ?? new RecordingUsageTransport();
        return new GatewayAppFactory<Program>(all, services =>
        {
            services.RemoveAll<IUsageEventTransport>();
            services.AddSingleton<IUsageEventTransport>(transport);
            configure?.Invoke(services);
        });
    }

    ValueTask IAsyncDisposable.DisposeAsync() => new(DisposeAsync());

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await Redis.DisposeAsync();
        await Upstream.DisposeAsync();
    }

    public HttpClient CreateClient(string? gatewayKey = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (gatewayKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new("Bearer", gatewayKey);
        }

        return client;
    }

    /// <summary>Writes a provider setting with an encrypted credential to the config cache.</summary>
    public async Task<ProviderSetting> AddSettingAsync(string provider = "openai", string apiKey = UpstreamOpenAiKey, Dictionary<string, string>? parameters = null, params string[] allowedModels)
    {
        var setting = TestData.NewSetting(provider);
        setting.EncryptedSecrets = Protector.Protect(new Dictionary<string, string> { ["apikey"] = apiKey });
        setting.Parameters = parameters ?? [];
        setting.AllowedModels = [.. allowedModels];
        await new ConfigCacheWriter(Redis).UpsertAsync(setting);
        await WaitUntilAsync(s => s.ProviderSettings.ContainsKey(setting.Id));
        return setting;
    }

    /// <summary>Writes a key to the config cache and waits until the proxy serves it; returns the raw key.</summary>
    public async Task<(ApiKey Key, string Raw)> AddKeyAsync(Action<ApiKey>? configure = null, params ProviderSetting[] settings)
    {
        var (key, raw) = TestData.NewKey("proxy test", [.. settings.Select(s => s.Id)]);
        configure?.Invoke(key);
        await new ConfigCacheWriter(Redis).UpsertAsync(key);
        await WaitUntilAsync(s => s.KeysById.TryGetValue(key.KeyId, out var k) && k.UpdatedAt == key.UpdatedAt && k.Revoked == key.Revoked);
        return (key, raw);
    }

    public Task UpdateKeyAsync(ApiKey key) => new ConfigCacheWriter(Redis).UpsertAsync(key);

    public ConfigSnapshotHolder Config => App.Services.GetRequiredService<ConfigSnapshotHolder>();

    public Task WaitUntilAsync(Func<ConfigSnapshot, bool> condition)
        => Eventually.AssertAsync(() => condition(Config.Current), TimeSpan.FromSeconds(5), "the proxy's config copy has the change");
}
