using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Redis;
using Gateway.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;

namespace Gateway.Functions.Tests.Config;

/// <summary>
/// The proxy's in-memory config copy against real PostgreSQL and Redis: startup load, the
/// write-through invalidation path, the refresh from PostgreSQL, and the version check that
/// catches a lost invalidation.
/// </summary>
public sealed class ProxyConfigCacheTests : IAsyncLifetime
{
    // How long a test that asserts that a change arrives (not how fast) waits for it. With a version
    // check an hour apart, only the invalidation message can bring it, so a broken path still fails;
    // a tighter bound only measures how busy the machine is (every test project runs at once in CI).
    // How fast a write arrives is WriteThrough_Invalidation_ReachesProxyWithinOneSecond's to assert.
    private static readonly TimeSpan Arrival = TimeSpan.FromSeconds(10);

    private readonly PostgresDatabase _pg = new();
    private readonly string _prefix = RedisTestConnection.NewPrefix();
    private readonly List<IAsyncDisposable> _disposables = [];
    private RedisConnection _redis = null!;

    public async Task InitializeAsync()
    {
        await _pg.InitializeAsync();
        _redis = RedisTestConnection.Create(_prefix);
        _disposables.Add(_redis);
    }

    public async Task DisposeAsync()
    {
        foreach (var disposable in _disposables)
        {
            await disposable.DisposeAsync();
        }

        await _pg.DisposeAsync();
    }

    [Fact]
    public async Task Startup_CacheFilledFromPostgres_ProxyServesTheSnapshot()
    {
        var (key, raw) = TestData.NewKey("startup");
        await InsertAsync(key);
        var version = await RefreshFromPostgresAsync();

        var holder = StartProxy(TimeSpan.FromHours(1));

        Assert.Equal(version, holder.Current.Version);
        Assert.True(holder.Current.KeysByHash.TryGetValue(ApiKeyHash.Compute(raw), out var loaded));
        Assert.Equal("startup", loaded.Name);
    }

    [Fact]
    public async Task PostgresRowChanged_RefreshRuns_RunningProxySeesChange()
    {
        var (key, _) = TestData.NewKey("before");
        await InsertAsync(key);
        await RefreshFromPostgresAsync();
        var holder = StartProxy(TimeSpan.FromHours(1));
        Assert.Equal("before", holder.Current.KeysById[key.KeyId].Name);

        // A change that bypasses the admin API: only the refresh makes it visible.
        await using (var db = _pg.CreateDbContext())
        {
            await db.Keys.Where(k => k.KeyId == key.KeyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.Name, "after").SetProperty(k => k.Revoked, true));
        }

        Assert.Equal("before", holder.Current.KeysById[key.KeyId].Name);
        await RefreshFromPostgresAsync();

        await Eventually.AssertAsync(() => holder.Current.KeysById[key.KeyId].Name == "after", Arrival, "the refreshed row reaches the proxy");
        Assert.True(holder.Current.KeysById[key.KeyId].Revoked);
    }

    [Fact]
    public async Task WriteThrough_Invalidation_ReachesProxyWithinOneSecond()
    {
        var holder = StartProxy(TimeSpan.FromHours(1));
        var (key, raw) = TestData.NewKey("new key");

        await new ConfigCacheWriter(_redis).UpsertAsync(key);

        var took = await Eventually.AssertAsync(() => holder.Current.KeysByHash.ContainsKey(ApiKeyHash.Compute(raw)), TimeSpan.FromSeconds(1), "a written key reaches the proxy through pub/sub");
        Assert.True(took < TimeSpan.FromSeconds(1));

        await new ConfigCacheWriter(_redis).RemoveAsync(ConfigEntityKind.Key, key.KeyId);
        await Eventually.AssertAsync(() => !holder.Current.KeysById.ContainsKey(key.KeyId), TimeSpan.FromSeconds(1), "a removed key disappears from the proxy");
    }

    [Fact]
    public async Task InvalidationLost_VersionCheck_ReloadsWithinInterval()
    {
        var holder = StartProxy(TimeSpan.FromMilliseconds(100));
        var (key, _) = TestData.NewKey("silent");

        await WriteWithoutPublishingAsync(key);

        await Eventually.AssertAsync(() => holder.Current.KeysById.ContainsKey(key.KeyId), TimeSpan.FromSeconds(2), "the version check notices the new version");
    }

    [Fact]
    public async Task InvalidationLost_NoVersionCheckYet_ProxyKeepsOldCopy()
    {
        // The counterpart of the test above: without a message, nothing but the version check reloads.
        var holder = StartProxy(TimeSpan.FromHours(1));
        var (key, _) = TestData.NewKey("silent");

        await WriteWithoutPublishingAsync(key);
        await Task.Delay(300);

        Assert.False(holder.Current.KeysById.ContainsKey(key.KeyId));
    }

    [Fact]
    public async Task Refresh_RemovedRowsInPostgres_DisappearFromCache()
    {
        var (kept, _) = TestData.NewKey("kept");
        var (deleted, _) = TestData.NewKey("deleted");
        await InsertAsync(kept);
        await InsertAsync(deleted);
        await RefreshFromPostgresAsync();
        var holder = StartProxy(TimeSpan.FromHours(1));
        Assert.Equal(2, holder.Current.KeysById.Count);

        await using (var db = _pg.CreateDbContext())
        {
            await db.Keys.Where(k => k.KeyId == deleted.KeyId).ExecuteDeleteAsync();
        }

        await RefreshFromPostgresAsync();
        await Eventually.AssertAsync(() => holder.Current.KeysById.Count == 1, Arrival, "the deleted key leaves the proxy's copy");
        Assert.True(holder.Current.KeysById.ContainsKey(kept.KeyId));
    }

    private ConfigSnapshotHolder StartProxy(TimeSpan versionCheckInterval)
    {
        var factory = Proxy.ProxyTestHost.CreateApp(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Redis"] = TestEnvironment.RedisConnectionString,
            ["Redis:KeyPrefix"] = _prefix,
            ["ConfigCache:VersionCheckInterval"] = versionCheckInterval.ToString(),
        });
        _disposables.Add(factory);
        _ = factory.BaseAddress;
        return factory.Services.GetRequiredService<ConfigSnapshotHolder>();
    }

    private async Task InsertAsync(ApiKey key)
    {
        await using var db = _pg.CreateDbContext();
        db.Keys.Add(key);
        await db.SaveChangesAsync();
    }

    private async Task<long> RefreshFromPostgresAsync()
    {
        await using var db = _pg.CreateDbContext();
        return await new ConfigCacheRefresher(db, new ConfigCacheWriter(_redis), NullLogger<ConfigCacheRefresher>.Instance).RefreshAsync(CancellationToken.None);
    }

    private async Task WriteWithoutPublishingAsync(ApiKey key)
    {
        var db = await _redis.GetDatabaseAsync();
        await db.HashSetAsync(_prefix + "config:keys", key.KeyId, System.Text.Json.JsonSerializer.Serialize(key, Gateway.Domain.Json.DomainJsonContext.Default.ApiKey));
        await db.StringIncrementAsync(_prefix + "config:version");
    }
}
