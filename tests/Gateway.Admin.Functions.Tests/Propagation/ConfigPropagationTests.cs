using System.Net;
using Gateway.Admin.Functions.Tests.Support;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Gateway.Domain.Redis;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Admin.Functions.Tests.Propagation;

/// <summary>
/// Every admin write reaches a running proxy's in-memory config copy within 1 s. The "proxy" is
/// the proxy's own sync machinery (<see cref="ConfigSyncService"/> and <see cref="ConfigSnapshotHolder"/>)
/// on the admin app's Redis prefix, with the periodic version check effectively off, so only the
/// write-through invalidation can deliver the change.
/// </summary>
public sealed class ConfigPropagationTests : IAsyncLifetime
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(1);

    private AdminApi _api = null!;
    private RedisConnection _redis = null!;
    private ConfigSyncService _sync = null!;
    private readonly ConfigSnapshotHolder _proxy = new();

    public async Task InitializeAsync()
    {
        _api = await AdminApi.StartAsync();
        _redis = _api.CreateRedis();
        _sync = new ConfigSyncService(
            new ConfigCacheReader(_redis),
            _redis,
            _proxy,
            Options.Create(new ConfigCacheOptions { VersionCheckInterval = TimeSpan.FromHours(1) }),
            TimeProvider.System,
            NullLogger<ConfigSyncService>.Instance);
        await _sync.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _sync.StopAsync(CancellationToken.None);
        _sync.Dispose();
        await _redis.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Key_CreatedRevokedDeleted_RunningProxySeesEachWithinOneSecond()
    {
        var settingId = await _api.CreateSettingAsync();
        var hash = ApiKeyHash.Compute("gw-propagation-raw-key");

        var key = await _api.CreateKeyAsync(settingId, rawKey: "gw-propagation-raw-key", extraJson: "\"rateLimitOverTime\":2,\"rateLimitUnit\":\"m\"");
        var keyId = (string)key["keyId"]!;
        await Eventually(() => _proxy.Current.KeysByHash.ContainsKey(hash), "a new key is usable");
        var seen = _proxy.Current.KeysByHash[hash];
        Assert.Equal(keyId, seen.KeyId);
        Assert.Equal(2, seen.Limits.RateLimitOverTime);
        Assert.Equal([settingId], seen.SettingIds);

        await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"revoked":true,"revokedReason":"compromised"}""");
        await Eventually(() => _proxy.Current.KeysById[keyId].Revoked, "a revoked key is refused");

        await _api.OkAsync(HttpMethod.Patch, $"/api/key-management/keys/{keyId}", """{"revoked":false,"rateLimitOverTime":7,"rateLimitUnit":"s"}""");
        await Eventually(() => _proxy.Current.KeysById[keyId] is { Revoked: false, Limits.RateLimitOverTime: 7 }, "a changed key's limits apply");

        using var deleted = await _api.SendAsync(HttpMethod.Delete, $"/api/key-management/keys/{keyId}");
        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        await Eventually(() => !_proxy.Current.KeysById.ContainsKey(keyId) && !_proxy.Current.KeysByHash.ContainsKey(hash), "a deleted key stops working");
    }

    [Fact]
    public async Task ProviderSetting_CreatedAndRotated_ProxyGetsCiphertextItCanDecrypt()
    {
        var created = await _api.OkAsync(HttpMethod.Post, "/api/provider-settings", """{"provider":"openai","setting":{"apikey":"sk-propagation-000000001"}}""");
        var id = (string)created["id"]!;
        await Eventually(() => _proxy.Current.ProviderSettings.ContainsKey(id), "a new setting reaches the proxy");

        await _api.OkAsync(HttpMethod.Patch, $"/api/provider-settings/{id}", """{"setting":{"apikey":"sk-propagation-000000002"}}""");
        var protector = new CredentialProtector(Options.Create(new EncryptionOptions { Key = _api.EncryptionKey }));
        await Eventually(
            () => _proxy.Current.ProviderSettings[id].EncryptedSecrets is { } secret && protector.Unprotect(secret)["apikey"] == "sk-propagation-000000002",
            "a rotated credential reaches the proxy, decryptable with the shared key");
        Assert.False(_proxy.Current.ProviderSettings[id].Parameters.ContainsKey("apikey"));
    }

    [Fact]
    public async Task RouteCustomProviderAndUser_Written_ProxySeesThem()
    {
        var settingId = await _api.CreateSettingAsync();
        var keyId = (string)(await _api.CreateKeyAsync(settingId))["keyId"]!;

        var route = await _api.OkAsync(HttpMethod.Post, "/api/routes", $$"""{"name":"r","path":"/prop/chat","keyIds":["{{keyId}}"],"steps":[{"provider":"openai","model":"gpt-4o"}]}""");
        await Eventually(() => _proxy.Current.RoutesByPath.ContainsKey("/prop/chat"), "a new route is served");

        await _api.OkAsync(HttpMethod.Post, "/api/custom/providers", """{"provider":"prop-llm","route_configs":[{"path":"/c","target_url":"https://x.test/c","model_location":"m","request_prompt_location":"p","response_completion_location":"c"}]}""");
        await Eventually(() => _proxy.Current.CustomProviders.ContainsKey("prop-llm"), "a new custom provider is served");

        var user = await _api.OkAsync(HttpMethod.Post, "/api/users", """{"userId":"end-user-1","tags":["t"],"rateLimitOverTime":1,"rateLimitUnit":"m"}""");
        await Eventually(() => _proxy.Current.UsersByUserId.ContainsKey("end-user-1"), "a new user's limits apply");
        await _api.OkAsync(HttpMethod.Patch, $"/api/users/{user["id"]}", """{"revoked":true}""");
        await Eventually(() => _proxy.Current.UsersById[(string)user["id"]!].Revoked, "a revoked user is refused");

        using var deleted = await _api.SendAsync(HttpMethod.Delete, $"/api/routes/{route["id"]}");
        await Eventually(() => !_proxy.Current.RoutesByPath.ContainsKey("/prop/chat"), "a deleted route is gone");
    }

    private static async Task Eventually(Func<bool> condition, string because)
    {
        var took = await Gateway.Testing.Eventually.AssertAsync(condition, Within, because);
        Assert.True(took < Within, because);
    }
}
