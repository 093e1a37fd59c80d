using Gateway.Domain.Config;
using Gateway.Domain.Redis;
using Gateway.Testing;

namespace Gateway.Functions.Tests.Config;

/// <summary>
/// The refresh timer's rebuild against an admin write that lands while it loads PostgreSQL: the
/// older data must not undo the write (a revoked key alive again until the next rebuild).
/// </summary>
public sealed class ConfigRebuildRaceTests : IAsyncLifetime
{
    private readonly string _prefix = RedisTestConnection.NewPrefix();
    private RedisConnection _redis = null!;

    public Task InitializeAsync()
    {
        _redis = RedisTestConnection.Create(_prefix);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _redis.DisposeAsync();

    [Fact]
    public async Task WriteAfterTheLoad_ConditionalRebuildReplacesNothing_TheWriteStays()
    {
        var writer = new ConfigCacheWriter(_redis);
        var (key, _) = TestData.NewKey("racing");
        await writer.RebuildAsync(new ConfigData([key], [], [], [], []));

        // The timer reads the version and loads the key as it was (not revoked)...
        var versionBefore = await writer.ReadVersionAsync();
        var stale = new ConfigData([Clone(key, revoked: false)], [], [], [], []);

        // ...meanwhile the admin API revokes it and writes through.
        await writer.UpsertAsync(Clone(key, revoked: true));

        Assert.Null(await writer.TryRebuildAsync(stale, versionBefore));
        var (_, data) = await new ConfigCacheReader(_redis).ReadAsync();
        Assert.True(Assert.Single(data.Keys).Revoked);
    }

    [Fact]
    public async Task NoWriteSinceTheLoad_ConditionalRebuildGoesThrough_AlsoOnAnEmptyRedis()
    {
        var writer = new ConfigCacheWriter(_redis);
        var (key, _) = TestData.NewKey("quiet");

        var versionBefore = await writer.ReadVersionAsync();
        Assert.True(versionBefore.IsNull);
        var version = await writer.TryRebuildAsync(new ConfigData([key], [], [], [], []), versionBefore);

        Assert.Equal(1, version);
        var (_, data) = await new ConfigCacheReader(_redis).ReadAsync();
        Assert.Equal(key.KeyId, Assert.Single(data.Keys).KeyId);
    }

    private static Gateway.Domain.Keys.ApiKey Clone(Gateway.Domain.Keys.ApiKey key, bool revoked)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(key, Gateway.Domain.Json.DomainJsonContext.Default.ApiKey);
        var copy = System.Text.Json.JsonSerializer.Deserialize(json, Gateway.Domain.Json.DomainJsonContext.Default.ApiKey)!;
        copy.Revoked = revoked;
        return copy;
    }
}
