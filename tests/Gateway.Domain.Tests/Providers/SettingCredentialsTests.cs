using System.Security.Cryptography;
using Gateway.Domain.Providers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Tests.Providers;

public sealed class SettingCredentialsTests
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Store_CustomAuthenticationParam_EncryptsItAndKeepsTheRestPlain()
    {
        var credentials = Create(Key);
        var setting = NewSetting();

        var secrets = credentials.Store(setting, new Dictionary<string, string> { ["x-token"] = "tok-0123456789", ["region"] = "eu" }, "x-token", wereSecret: []);

        Assert.Equal(new Dictionary<string, string> { ["region"] = "eu" }, setting.Parameters);
        Assert.Equal(new Dictionary<string, string> { ["x-token"] = "tok-0123456789" }, secrets);
        Assert.True(credentials.TryReveal(setting, out var revealed));
        Assert.Equal(secrets, revealed);
    }

    [Fact]
    public void Store_FormerCredentialNoLongerClassified_StaysEncrypted()
    {
        var credentials = Create(Key);
        var setting = NewSetting();
        credentials.Store(setting, new Dictionary<string, string> { ["x-token"] = "tok-0123456789" }, "x-token", wereSecret: []);
        Assert.True(credentials.TryReveal(setting, out var before));

        // The custom provider's authentication_param changed away from x-token: its value must not turn plain.
        credentials.Store(setting, SettingCredentials.Merge(setting, before), authenticationParam: null, before.Keys);

        Assert.Empty(setting.Parameters);
        Assert.True(credentials.TryReveal(setting, out var after));
        Assert.Equal("tok-0123456789", after["x-token"]);
    }

    [Fact]
    public void Store_NoCredentials_StoresNoCiphertext()
    {
        var setting = NewSetting();

        Create(Key).Store(setting, new Dictionary<string, string> { ["url"] = "http://10.0.0.5:8000" }, null, wereSecret: []);

        Assert.Null(setting.EncryptedSecrets);
        Assert.True(Create(Key).TryReveal(setting, out var secrets));
        Assert.Empty(secrets);
    }

    [Fact]
    public void TryReveal_EncryptedWithAnotherKey_ReturnsFalse()
    {
        var setting = NewSetting();
        Create(Key).Store(setting, new Dictionary<string, string> { ["apikey"] = "sk-other-key-0123" }, null, wereSecret: []);

        Assert.False(Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).TryReveal(setting, out var secrets));
        Assert.Empty(secrets);
    }

    private static ProviderSetting NewSetting() => new() { Id = "s1", Provider = "openai" };

    private static SettingCredentials Create(string key)
        => new(new CredentialProtector(Options.Create(new EncryptionOptions { Key = key })), NullLogger<SettingCredentials>.Instance);
}
