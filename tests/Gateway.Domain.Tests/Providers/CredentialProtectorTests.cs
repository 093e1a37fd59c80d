using System.Security.Cryptography;
using System.Text;
using Gateway.Domain.Providers;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Tests.Providers;

public sealed class CredentialProtectorTests
{
    private static readonly string Key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    [Fact]
    public void Protect_ThenUnprotect_RoundTrips()
    {
        var protector = Create(Key);
        var secrets = new Dictionary<string, string> { ["apikey"] = "sk-round-trip-0123456789", ["awsSecretAccessKey"] = "ünïcødé/+=" };

        var cipher = protector.Protect(secrets);

        Assert.Equal(secrets, protector.Unprotect(cipher));
    }

    [Fact]
    public void Protect_Ciphertext_HoldsNoPlaintextAndCarriesTheKeyVersion()
    {
        var cipher = Create(Key, keyVersion: 7).Protect(new() { ["apikey"] = "sk-plaintext-check-0123" });

        Assert.Equal(7, cipher[0]);
        Assert.DoesNotContain("sk-plaintext-check", Encoding.UTF8.GetString(cipher), StringComparison.Ordinal);
        Assert.DoesNotContain("apikey", Encoding.UTF8.GetString(cipher), StringComparison.Ordinal);
    }

    [Fact]
    public void Protect_SameInputTwice_DifferentCiphertexts()
    {
        var protector = Create(Key);
        var secrets = new Dictionary<string, string> { ["apikey"] = "same" };

        Assert.NotEqual(protector.Protect(secrets), protector.Protect(secrets));
    }

    [Fact]
    public void Unprotect_OtherKey_Throws()
    {
        var cipher = Create(Key).Protect(new() { ["apikey"] = "x" });

        Assert.ThrowsAny<CryptographicException>(() => Create(Convert.ToBase64String(RandomNumberGenerator.GetBytes(32))).Unprotect(cipher));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    [InlineData(40)]
    public void Unprotect_TamperedByte_Throws(int index)
    {
        var protector = Create(Key);
        var cipher = protector.Protect(new() { ["apikey"] = "tamper-me-please-0000000" });
        cipher[index] ^= 0x01;

        Assert.ThrowsAny<CryptographicException>(() => protector.Unprotect(cipher));
    }

    [Fact]
    public void Unprotect_OtherKeyVersion_ThrowsNamingBothVersions()
    {
        var cipher = Create(Key, keyVersion: 1).Protect(new() { ["apikey"] = "x" });

        var error = Assert.ThrowsAny<CryptographicException>(() => Create(Key, keyVersion: 2).Unprotect(cipher));
        Assert.Contains("key version 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("Encryption__KeyVersion is 2", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unprotect_TooShort_Throws()
        => Assert.ThrowsAny<CryptographicException>(() => Create(Key).Unprotect([1, 2, 3]));

    [Theory]
    [InlineData(null, "is required")]
    [InlineData("", "is required")]
    [InlineData("not base64!", "must be base64 of exactly 32 bytes")]
    [InlineData("c2hvcnQ=", "must be base64 of exactly 32 bytes")]
    public void Validator_BadKey_FailsNamingTheSetting(string? key, string expected)
    {
        var result = new EncryptionOptionsValidator().Validate(null, new EncryptionOptions { Key = key });

        Assert.True(result.Failed);
        Assert.Contains("Encryption__Key", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains(expected, result.FailureMessage, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(256)]
    public void Validator_KeyVersionOutOfRange_Fails(int version)
    {
        var result = new EncryptionOptionsValidator().Validate(null, new EncryptionOptions { Key = Key, KeyVersion = version });

        Assert.Contains("Encryption__KeyVersion", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_GoodKey_Succeeds()
        => Assert.True(new EncryptionOptionsValidator().Validate(null, new EncryptionOptions { Key = Key }).Succeeded);

    private static CredentialProtector Create(string key, int keyVersion = 1)
        => new(Options.Create(new EncryptionOptions { Key = key, KeyVersion = keyVersion }));
}
