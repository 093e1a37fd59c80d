using Gateway.Domain.Keys;
using Gateway.Domain.Providers;

namespace Gateway.Testing;

/// <summary>Rows for tests: a key whose raw secret the test knows, a provider setting.</summary>
public static class TestData
{
    public static (ApiKey Key, string RawKey) NewKey(string name = "test key", params string[] settingIds)
    {
        var raw = "gw-" + Guid.NewGuid().ToString("n");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var key = new ApiKey
        {
            KeyId = Guid.NewGuid().ToString(),
            Name = name,
            KeyHash = ApiKeyHash.Compute(raw).ToHex(),
            CreatedAt = now,
            UpdatedAt = now,
            SettingIds = [.. settingIds],
        };
        return (key, raw);
    }

    public static ProviderSetting NewSetting(string provider = "openai")
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new ProviderSetting { Id = Guid.NewGuid().ToString(), Provider = provider, Name = provider + " setting", CreatedAt = now, UpdatedAt = now };
    }
}
