using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;

namespace Gateway.Domain.Tests.Config;

public sealed class ConfigSnapshotTests
{
    [Fact]
    public void Create_IndexesKeysByHashAndIdAndOtherRowsByNaturalKey()
    {
        var key = new ApiKey { KeyId = "k1", Name = "n", KeyHash = ApiKeyHash.Compute("raw").ToHex() };
        var setting = new ProviderSetting { Id = "s1", Provider = "openai" };
        var custom = new CustomProvider { Id = "c1", Provider = "acme" };
        var route = new Route { Id = "r1", Path = "/chat" };

        var snapshot = ConfigSnapshot.Create(7, new ConfigData([key], [setting], [custom], [route], []));

        Assert.Equal(7, snapshot.Version);
        Assert.Same(key, snapshot.KeysByHash[ApiKeyHash.Compute("raw")]);
        Assert.Same(key, snapshot.KeysById["k1"]);
        Assert.Same(setting, snapshot.ProviderSettings["s1"]);
        Assert.Same(custom, snapshot.CustomProviders["acme"]);
        Assert.Same(route, snapshot.RoutesByPath["/chat"]);
    }

    [Fact]
    public void Create_KeyWithMalformedHash_IsNotAuthenticatable()
    {
        var key = new ApiKey { KeyId = "k1", Name = "n", KeyHash = "not-a-hash" };
        var snapshot = ConfigSnapshot.Create(1, new ConfigData([key], [], [], [], []));
        Assert.Empty(snapshot.KeysByHash);
        Assert.True(snapshot.KeysById.ContainsKey("k1"));
    }

    [Fact]
    public void TryReplace_OlderVersion_KeepsNewer()
    {
        var holder = new ConfigSnapshotHolder();
        var v5 = ConfigSnapshot.Create(5, ConfigData.Empty);
        Assert.True(holder.TryReplace(v5));
        Assert.False(holder.TryReplace(ConfigSnapshot.Create(4, ConfigData.Empty)));
        Assert.Same(v5, holder.Current);
        Assert.True(holder.TryReplace(ConfigSnapshot.Create(6, ConfigData.Empty)));
        Assert.Equal(6, holder.Current.Version);
    }
}
