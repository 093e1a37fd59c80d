using System.Net;
using System.Text.Json;
using Gateway.Domain.Config;
using Gateway.Domain.Json;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Gateway.Functions.Tests.Config;
using Gateway.Functions.Tests.Proxy;
using Gateway.Testing;
using static Gateway.Functions.Tests.ProviderKeys.ProviderKeysSdkTests;

namespace Gateway.Functions.Tests.ProviderKeys;

/// <summary>
/// With provider keys allowed, a gateway key (here of a provider key's <c>sk-</c> shape, so only the
/// key lookup can tell) is never forwarded as a provider key: revoked and expired ones stay 401,
/// one created a moment ago and not yet in the proxy's memory is found in Redis and served as the
/// gateway key it is, and a lookup that cannot answer is a 503. The fake provider never sees them.
/// </summary>
public sealed class ProviderKeysGatewayKeyTests : IAsyncLifetime
{
    // Only pub/sub (and the lookup on a miss) bring a change into memory: no periodic version check.
    private readonly ProxyTestHost _host = new(new() { ["Proxy:AllowProviderKeys"] = "true", ["ConfigCache:VersionCheckInterval"] = "01:00:00" });
    private ProviderSetting _setting = null!;

    public async Task InitializeAsync()
    {
        await _host.InitializeAsync();
        _setting = await _host.AddSettingAsync();
    }

    public Task DisposeAsync() => _host.DisposeAsync();

    [Theory]
    [InlineData("revoked", false)]
    [InlineData("expired", false)]
    [InlineData("revoked", true)]
    [InlineData("expired", true)]
    public async Task InactiveGatewayKey_InMemoryOrOnlyInRedis_401AndNeverForwarded(string state, bool onlyInRedis)
    {
        var (key, raw) = NewSkShapedKey();
        if (state == "revoked")
        {
            key.Revoked = true;
        }
        else
        {
            key.CreatedAt = DateTimeOffset.UtcNow.AddHours(-2).ToUnixTimeSeconds();
            key.Limits.Ttl = "1h";
        }

        await (onlyInRedis ? WriteBehindTheProxysBackAsync(key) : WriteAndWaitAsync(key));

        var response = await PostAsync(raw);

        Assert.Equal(HttpStatusCode.Unauthorized, response.Status);
        Assert.Contains(state, response.Body, StringComparison.Ordinal);
        AssertNeverSent(raw);
        Assert.Empty(_host.Upstream.Requests);
    }

    [Fact]
    public async Task JustCreatedGatewayKey_OnlyInRedis_ServedAsTheGatewayKeyItIs()
    {
        var (key, raw) = NewSkShapedKey();
        await WriteBehindTheProxysBackAsync(key);

        var response = await PostAsync(raw);

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var received = Assert.Single(_host.Upstream.Requests);
        Assert.Equal("Bearer " + ProxyTestHost.UpstreamOpenAiKey, received.Header("Authorization"));
        AssertNeverSent(raw);
        var usageEvent = await _host.Events.WaitForAsync(e => e.Path == "/api/v1/chat/completions");
        Assert.Equal(key.KeyId, usageEvent.KeyId);
        Assert.Equal(_setting.Id, usageEvent.SettingId);
    }

    [Fact]
    public async Task JustCreatedGatewayKeys_RequestedAtOnce_NeverForwarded()
    {
        var keys = Enumerable.Range(0, 5).Select(_ => NewSkShapedKey()).ToList();
        foreach (var (key, _) in keys)
        {
            await new ConfigCacheWriter(_host.Redis).UpsertAsync(key);
        }

        var responses = await Task.WhenAll(keys.Select(k => PostAsync(k.Raw)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.All(_host.Upstream.Requests, r => Assert.Equal("Bearer " + ProxyTestHost.UpstreamOpenAiKey, r.Header("Authorization")));
        Assert.Equal(5, _host.Upstream.Requests.Count);
    }

    /// <summary>A gateway key whose raw value looks like an OpenAI key: only the lookup tells them apart.</summary>
    private (ApiKey Key, string Raw) NewSkShapedKey()
    {
        var (key, _) = TestData.NewKey("sk-shaped gateway key", _setting.Id);
        var raw = "sk-gateway-" + Guid.NewGuid().ToString("n");
        key.KeyHash = ApiKeyHash.Compute(raw).ToHex();
        return (key, raw);
    }

    private async Task WriteAndWaitAsync(ApiKey key)
    {
        await new ConfigCacheWriter(_host.Redis).UpsertAsync(key);
        await _host.WaitUntilAsync(s => s.KeysById.TryGetValue(key.KeyId, out var k) && k.Revoked == key.Revoked && k.CreatedAt == key.CreatedAt);
    }

    /// <summary>As if the write-through's pub/sub message had not arrived yet: the rows are in Redis, the proxy was not told.</summary>
    private async Task WriteBehindTheProxysBackAsync(ApiKey key)
    {
        var db = await _host.Redis.GetDatabaseAsync();
        await db.HashSetAsync(_host.Redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.Key)), key.KeyId, JsonSerializer.Serialize(key, DomainJsonContext.Default.ApiKey));
        await db.HashSetAsync(_host.Redis.Key(ConfigCacheLayout.KeyHashIndex), key.KeyHash, key.KeyId);
        Assert.False(_host.Config.Current.KeysById.ContainsKey(key.KeyId));
    }

    private async Task<(HttpStatusCode Status, string Body)> PostAsync(string bearer)
    {
        using var client = _host.CreateClient(bearer);
        using var response = await client.PostAsync("/api/v1/chat/completions", ChatBody("gpt-4o-mini"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private void AssertNeverSent(string raw)
        => Assert.DoesNotContain(_host.Upstream.Requests, r => r.Headers.Values.Any(values => values.Any(v => v.Contains(raw, StringComparison.Ordinal))));
}

/// <summary>A private Redis stopped under the proxy: the key lookup cannot answer, so an unknown <c>sk-</c> bearer is a 503, never forwarded.</summary>
public sealed class ProviderKeysRedisOutageTests : IAsyncLifetime
{
    private RedisServerProcess _server = null!;
    private ProxyFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        _server = await RedisServerProcess.StartAsync();
        _fleet = await ProxyFleet.StartAsync(1, _server.ConnectionString, new Dictionary<string, string?> { ["Proxy:AllowProviderKeys"] = "true" });
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task RedisStopped_UnknownSkBearer_503WithRetryAfterAndNothingSent()
    {
        await _server.StopAsync();
        using var client = new HttpClient { BaseAddress = _fleet.Apps[0].BaseAddress };
        client.DefaultRequestHeaders.Authorization = new("Bearer", OpenAiKey);

        using var response = await client.PostAsync("/api/v1/chat/completions", ChatBody("gpt-4o-mini"));

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Contains("cannot be checked", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(_fleet.Upstream.Requests);
    }
}
