using System.Net;
using Gateway.Domain.Config;
using Gateway.Domain.Redis;
using Gateway.Functions.Tests.Config;
using Gateway.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Functions.Tests.Resilience;

/// <summary>
/// Redis restarted empty under three running proxies (a private redis-server): the cache's
/// version starts again from 0, and proxies still take the rebuild, and every write since, at once.
/// </summary>
public sealed class RedisRestartTests : IAsyncLifetime
{
    private readonly PostgresDatabase _pg = new();
    private RedisServerProcess _server = null!;
    private ProxyFleet _fleet = null!;

    public async Task InitializeAsync()
    {
        await _pg.InitializeAsync();
        _server = await RedisServerProcess.StartAsync();
        _fleet = await ProxyFleet.StartAsync(3, _server.ConnectionString);
    }

    public async Task DisposeAsync()
    {
        await _fleet.DisposeAsync();
        await _server.DisposeAsync();
        await _pg.DisposeAsync();
    }

    [Fact]
    public async Task RestartedEmptyThenRebuilt_RevokedKeyRefusedAndNewKeyServedOnEveryInstanceWithinOneSecond()
    {
        var setting = ProxyFleet.NewSetting();
        var (revoked, revokedRaw) = TestData.NewKey("to revoke", setting.Id);
        var (kept, keptRaw) = TestData.NewKey("kept", setting.Id);
        await using (var db = _pg.CreateDbContext())
        {
            db.ProviderSettings.Add(setting);
            db.Keys.AddRange(revoked, kept);
            await db.SaveChangesAsync();
        }

        await RefreshAsync();
        var before = await BumpVersionAsync(setting);
        await _fleet.UntilEveryInstanceAnswersAsync(revokedRaw, HttpStatusCode.OK, TimeSpan.FromSeconds(5));

        await _server.RestartEmptyAsync();
        await UntilEveryInstanceReconnectedAsync();

        var (created, createdRaw) = TestData.NewKey("created after the restart", setting.Id);
        await using (var db = _pg.CreateDbContext())
        {
            await db.Keys.Where(k => k.KeyId == revoked.KeyId).ExecuteUpdateAsync(s => s.SetProperty(k => k.Revoked, true));
            db.Keys.Add(created);
            await db.SaveChangesAsync();
        }

        var after = await RefreshAsync();
        var refused = await _fleet.UntilEveryInstanceAnswersAsync(revokedRaw, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
        var served = await _fleet.UntilEveryInstanceAnswersAsync(createdRaw, HttpStatusCode.OK, TimeSpan.FromSeconds(1));

        Assert.True(after < before, $"the version started again: {after} after, {before} before");
        Assert.True(refused <= TimeSpan.FromSeconds(1), $"revocation took {refused.TotalMilliseconds:0} ms");
        Assert.True(served <= TimeSpan.FromSeconds(1), $"the new key took {served.TotalMilliseconds:0} ms");
        for (var instance = 0; instance < 3; instance++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _fleet.ChatAsync(instance, keptRaw)).Status);
        }
    }

    [Fact]
    public async Task RestartedEmpty_WritesBeforeTheRebuild_AppliedOverEveryInstancesCopy()
    {
        var setting = await _fleet.AddSettingAsync();
        var (revoked, revokedRaw) = TestData.NewKey("to revoke", setting.Id);
        var (_, keptRaw) = await AddKeyAsync(setting.Id);
        await _fleet.Writer.UpsertAsync(revoked);
        await _fleet.Writer.RebuildAsync(await ReadCacheAsync());
        await BumpVersionAsync(setting);
        await _fleet.UntilEveryInstanceAnswersAsync(revokedRaw, HttpStatusCode.OK, TimeSpan.FromSeconds(5));

        await _server.RestartEmptyAsync();
        await UntilEveryInstanceReconnectedAsync();

        // The admin API writes through to the empty Redis before the refresh timer has rebuilt it.
        revoked.Revoked = true;
        await _fleet.Writer.UpsertAsync(revoked);
        var refused = await _fleet.UntilEveryInstanceAnswersAsync(revokedRaw, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));
        var (_, createdRaw) = await AddKeyAsync(setting.Id);

        Assert.True(refused <= TimeSpan.FromSeconds(1), $"revocation took {refused.TotalMilliseconds:0} ms");
        for (var instance = 0; instance < 3; instance++)
        {
            // Rows nobody rewrote since the restart are still served from each instance's copy.
            Assert.Equal(HttpStatusCode.OK, (await _fleet.ChatAsync(instance, keptRaw)).Status);
            Assert.Equal(HttpStatusCode.OK, (await _fleet.ChatAsync(instance, createdRaw)).Status);
        }
    }

    private async Task<(Domain.Keys.ApiKey Key, string Raw)> AddKeyAsync(string settingId)
    {
        var (key, raw) = TestData.NewKey("kept", settingId);
        await _fleet.Writer.UpsertAsync(key);
        return (key, raw);
    }

    private async Task<ConfigData> ReadCacheAsync() => (await new ConfigCacheReader(_fleet.Redis).ReadAsync()).Data;

    /// <summary>Many writes before the restart, so that the rebuilt cache's version is lower than the one proxies hold.</summary>
    private async Task<long> BumpVersionAsync(Domain.Providers.ProviderSetting setting)
    {
        for (var i = 0; i < 20; i++)
        {
            await _fleet.Writer.UpsertAsync(setting);
        }

        return (await new ConfigCacheReader(_fleet.Redis).GetStampAsync()).Version;
    }

    private async Task<long> RefreshAsync()
    {
        await using var db = _pg.CreateDbContext();
        return await new ConfigCacheRefresher(db, _fleet.Writer, NullLogger<ConfigCacheRefresher>.Instance).RefreshAsync(CancellationToken.None);
    }

    private async Task UntilEveryInstanceReconnectedAsync()
    {
        foreach (var app in _fleet.Apps)
        {
            var redis = app.Services.GetRequiredService<RedisConnection>();
            var subscriber = await redis.GetSubscriberAsync();
            await Eventually.AssertAsync(() => subscriber.IsConnected(redis.Channel(ConfigCacheLayout.Channel)) && subscriber.Multiplexer.IsConnected, TimeSpan.FromSeconds(10), "the proxy reconnected to the restarted Redis");
        }

        // Our own connection too: it writes the rebuild.
        var db = await _fleet.Redis.GetDatabaseAsync();
        await Eventually.AssertAsync(() => db.Multiplexer.IsConnected, TimeSpan.FromSeconds(10), "the test reconnected to the restarted Redis");
    }
}
