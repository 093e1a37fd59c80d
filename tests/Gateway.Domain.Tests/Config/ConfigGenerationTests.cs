using Gateway.Domain.Config;
using Gateway.Domain.Keys;

namespace Gateway.Domain.Tests.Config;

/// <summary>
/// The proxy's copy across Redis resets: versions compare within a generation only; a rebuilt
/// generation is taken whole whatever its version; a partial one (rows written onto an empty
/// Redis) is laid over a complete copy.
/// </summary>
public sealed class ConfigGenerationTests
{
    private static readonly string RebuiltA = ConfigCacheStamp.NewRebuiltGeneration();
    private static readonly string RebuiltB = ConfigCacheStamp.NewRebuiltGeneration();
    private static readonly string Written = ConfigCacheStamp.NewWrittenGeneration();

    [Fact]
    public void Stamp_RebuiltGenerationIsComplete_WrittenIsNot()
    {
        Assert.True(new ConfigCacheStamp(1, RebuiltA).Complete);
        Assert.False(new ConfigCacheStamp(1, Written).Complete);
        Assert.False(new ConfigCacheStamp(1, null).Complete);
        Assert.NotEqual(RebuiltA, RebuiltB);
    }

    [Fact]
    public void Apply_SameGeneration_OlderVersionIgnoredNewerTaken()
    {
        var holder = new ConfigSnapshotHolder();
        Assert.True(holder.Apply(new(5, RebuiltA), Data(Key("k1"))));
        Assert.False(holder.Apply(new(4, RebuiltA), Data(Key("k0"))));
        Assert.Equal(5, holder.Current.Version);
        Assert.True(holder.Apply(new(6, RebuiltA), Data(Key("k2"))));
        Assert.Equal("k2", Assert.Single(holder.Current.KeysById.Keys));
    }

    [Fact]
    public void Apply_RedisResetAndRebuilt_LowerVersionOfNewGenerationTakenWhole()
    {
        var holder = new ConfigSnapshotHolder();
        holder.Apply(new(100, RebuiltA), Data(Key("old"), Key("revoked-later")));

        // Redis restarted empty; the refresh rebuilt it: version 1 of a new generation.
        var revoked = Key("revoked-later");
        revoked.Revoked = true;
        Assert.True(holder.Apply(new(1, RebuiltB), Data(Key("new"), revoked)));

        Assert.Equal(new ConfigCacheStamp(1, RebuiltB), holder.Current.Stamp);
        Assert.True(holder.Current.Complete);
        Assert.False(holder.Current.KeysById.ContainsKey("old"));
        Assert.True(holder.Current.KeysById["revoked-later"].Revoked);
        Assert.True(holder.Current.KeysById.ContainsKey("new"));
    }

    [Fact]
    public void Apply_RedisEmpty_CopyWithRowsKept()
    {
        var holder = new ConfigSnapshotHolder();
        holder.Apply(new(100, RebuiltA), Data(Key("k1")));

        Assert.False(holder.Apply(new(0, null), ConfigData.Empty));

        Assert.Equal(100, holder.Current.Version);
        Assert.True(holder.Current.KeysById.ContainsKey("k1"));
    }

    [Fact]
    public void Apply_WritesOntoEmptyRedis_LaidOverCompleteCopy()
    {
        var holder = new ConfigSnapshotHolder();
        holder.Apply(new(100, RebuiltA), Data(Key("kept"), Key("revoked")));

        // After the reset, before the rebuild: the admin API revokes one key and creates another.
        var revoked = Key("revoked");
        revoked.Revoked = true;
        Assert.True(holder.Apply(new(1, Written), Data(revoked)));
        Assert.True(holder.Apply(new(2, Written), Data(revoked, Key("created"))));

        var current = holder.Current;
        Assert.True(current.Complete);
        Assert.Equal(new ConfigCacheStamp(2, Written), current.Stamp);
        Assert.True(current.KeysById.ContainsKey("kept"));
        Assert.True(current.KeysById["revoked"].Revoked);
        Assert.True(current.KeysByHash.ContainsKey(ApiKeyHash.Compute("created")));
    }

    [Fact]
    public void Apply_PartialGenerationOnEmptyCopy_TakenWhole()
    {
        var holder = new ConfigSnapshotHolder();

        Assert.True(holder.Apply(new(1, Written), Data(Key("k1"))));

        Assert.False(holder.Current.Complete);
        Assert.Equal("k1", Assert.Single(holder.Current.KeysById.Keys));
    }

    [Fact]
    public void IsNewer_ComparesVersionsWithinAGenerationOnly()
    {
        var current = new ConfigCacheStamp(100, RebuiltA);
        Assert.True(ConfigSnapshotHolder.IsNewer(new(1, RebuiltB), current));
        Assert.True(ConfigSnapshotHolder.IsNewer(new(101, RebuiltA), current));
        Assert.False(ConfigSnapshotHolder.IsNewer(new(100, RebuiltA), current));
        Assert.False(ConfigSnapshotHolder.IsNewer(new(0, null), current));
        Assert.False(ConfigSnapshotHolder.IsNewer(new(500, null), current));
        Assert.True(ConfigSnapshotHolder.IsNewer(new(2, null), new(1, null)));
    }

    [Fact]
    public void WithKey_AddsKeyAndSettingsAtSameStamp()
    {
        var snapshot = ConfigSnapshot.Create(new ConfigCacheStamp(3, RebuiltA), Data(Key("k1")));
        var key = Key("k2");
        key.SettingIds = ["s1"];

        var merged = snapshot.WithKey(key, [new Gateway.Domain.Providers.ProviderSetting { Id = "s1", Provider = "openai" }]);

        Assert.Equal(snapshot.Stamp, merged.Stamp);
        Assert.Same(key, merged.KeysByHash[ApiKeyHash.Compute("k2")]);
        Assert.True(merged.KeysById.ContainsKey("k1"));
        Assert.True(merged.ProviderSettings.ContainsKey("s1"));
        Assert.False(snapshot.KeysById.ContainsKey("k2"));
    }

    private static ApiKey Key(string raw) => new() { KeyId = raw, Name = raw, KeyHash = ApiKeyHash.Compute(raw).ToHex() };

    private static ConfigData Data(params ApiKey[] keys) => new(keys, [], [], [], []);
}
