using System.Net;
using System.Text.Json;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Json;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;

namespace Gateway.Functions.Tests.Config;

/// <summary>
/// Read-your-writes for keys on three proxy instances against real Redis: a key works on the very
/// next request everywhere, revocation reaches every instance within a second, and unknown keys
/// cost Redis a bounded number of lookups.
/// </summary>
public sealed class KeyReadYourWritesTests : IAsyncLifetime
{
    private ProxyFleet _fleet = null!;

    public async Task InitializeAsync()
        => _fleet = await ProxyFleet.StartAsync(3, settings: new Dictionary<string, string?>
        {
            // Only pub/sub and the lookup on a miss make a change visible: no periodic check to lean on.
            ["ConfigCache:VersionCheckInterval"] = "01:00:00",
            ["KeyLookup:NegativeCacheTtl"] = "00:01:00",
        });

    public async Task DisposeAsync() => await _fleet.DisposeAsync();

    [Fact]
    public async Task NewKey_RequestedAtOnceOnEveryInstance_NeverUnknown()
    {
        var setting = await _fleet.AddSettingAsync();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            var (key, raw) = TestData.NewKey("ryw", setting.Id);
            await _fleet.Writer.UpsertAsync(key);
            var answers = await Task.WhenAll(Enumerable.Range(0, 3).Select(instance => _fleet.ChatAsync(instance, raw)));
            statuses.AddRange(answers.Select(a => a.Status));
        }

        Assert.Equal(30, statuses.Count);
        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
    }

    [Fact]
    public async Task NewKey_InvalidationLost_FoundInRedisOnEveryInstanceAndCopyReloaded()
    {
        var setting = await _fleet.AddSettingAsync();
        var (key, raw) = TestData.NewKey("lost invalidation", setting.Id);
        for (var instance = 0; instance < 3; instance++)
        {
            var holder = _fleet.Config(instance);
            await Eventually.AssertAsync(() => holder.Current.ProviderSettings.ContainsKey(setting.Id), TimeSpan.FromSeconds(5), "the setting's write-through is applied");
        }

        // As if the write-through's pub/sub message never arrived: the rows are in Redis, no proxy was told.
        var db = await _fleet.Redis.GetDatabaseAsync();
        await db.HashSetAsync(_fleet.Redis.Key(ConfigCacheLayout.HashKey(ConfigEntityKind.Key)), key.KeyId, JsonSerializer.Serialize(key, DomainJsonContext.Default.ApiKey));
        await db.HashSetAsync(_fleet.Redis.Key(ConfigCacheLayout.KeyHashIndex), key.KeyHash, key.KeyId);
        await db.StringIncrementAsync(_fleet.Redis.Key(ConfigCacheLayout.VersionKey));
        Assert.All(Enumerable.Range(0, 3), i => Assert.False(_fleet.Config(i).Current.KeysById.ContainsKey(key.KeyId)));

        for (var instance = 0; instance < 3; instance++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _fleet.ChatAsync(instance, raw)).Status);
        }

        // The hit nudged a reload: the copy catches up without waiting for the hourly version check.
        for (var instance = 0; instance < 3; instance++)
        {
            var holder = _fleet.Config(instance);
            await Eventually.AssertAsync(() => holder.Current.KeysById.ContainsKey(key.KeyId), TimeSpan.FromSeconds(5), "the copy reloads after a key was found ahead of it");
        }
    }

    [Fact]
    public async Task KeyRevokedRightAfterFirstUse_RefusedOnEveryInstanceWithinOneSecond()
    {
        var setting = await _fleet.AddSettingAsync();
        var (key, raw) = TestData.NewKey("revoked", setting.Id);
        await _fleet.Writer.UpsertAsync(key);
        for (var instance = 0; instance < 3; instance++)
        {
            Assert.Equal(HttpStatusCode.OK, (await _fleet.ChatAsync(instance, raw)).Status);
        }

        key.Revoked = true;
        key.UpdatedAt++;
        await _fleet.Writer.UpsertAsync(key);
        var took = await _fleet.UntilEveryInstanceAnswersAsync(raw, HttpStatusCode.Unauthorized, TimeSpan.FromSeconds(1));

        Assert.True(took <= TimeSpan.FromSeconds(1), $"revocation took {took.TotalMilliseconds:0} ms");
    }

    [Fact]
    public async Task UnknownKeysFlood_RedisLookupsBoundedByDistinctKeysAndCounted()
    {
        using var counter = new LookupCounter(_fleet.Apps[0].Services.GetRequiredService<IMeterFactory>());
        var unknown = Enumerable.Range(0, 40).Select(_ => "gw-" + Guid.NewGuid().ToString("n")).ToList();

        // 400 requests, 10 per unknown key, 32 at a time.
        var statuses = new List<HttpStatusCode>();
        foreach (var wave in unknown.SelectMany(k => Enumerable.Repeat(k, 10)).OrderBy(_ => Random.Shared.Next()).Chunk(32))
        {
            statuses.AddRange((await Task.WhenAll(wave.Select(k => _fleet.ChatAsync(0, k)))).Select(a => a.Status));
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.Unauthorized, s));
        Assert.InRange(counter.RedisCalls, 1, 40);
        Assert.Equal(0, counter["found"]);

        // Remembered: asking again costs Redis nothing.
        var before = counter.RedisCalls;
        foreach (var key in unknown)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await _fleet.ChatAsync(0, key)).Status);
        }

        Assert.Equal(before, counter.RedisCalls);
    }
}
