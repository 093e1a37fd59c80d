using System.Security.Cryptography;
using System.Text;
using Gateway.Domain.Keys;

namespace Gateway.Domain.Tests.Keys;

public sealed class ApiKeyHashTests
{
    [Fact]
    public void ToHex_KnownKey_IsLowercaseSha256LikeBricksLlm()
    {
        // sha256("my-secret-key"), as BricksLLM stores it (internal/hasher/hasher.go: hex of SHA-256).
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("my-secret-key")));
        Assert.Equal(expected, ApiKeyHash.Compute("my-secret-key").ToHex());
        Assert.Equal(64, expected.Length);
    }

    [Fact]
    public void Equals_SameKey_TrueAndDifferentKey_False()
    {
        Assert.Equal(ApiKeyHash.Compute("a"), ApiKeyHash.Compute("a"));
        Assert.NotEqual(ApiKeyHash.Compute("a"), ApiKeyHash.Compute("b"));
        Assert.True(ApiKeyHash.Compute("a") == ApiKeyHash.Compute("a"));
        Assert.True(ApiKeyHash.Compute("a") != ApiKeyHash.Compute("b"));
    }

    [Fact]
    public void TryParseHex_RoundTrip_EqualsComputed()
    {
        var hash = ApiKeyHash.Compute("round trip");
        Assert.True(ApiKeyHash.TryParseHex(hash.ToHex(), out var parsed));
        Assert.Equal(hash, parsed);
        Assert.Equal(hash.GetHashCode(), parsed.GetHashCode());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("zz00000000000000000000000000000000000000000000000000000000000000")]
    public void TryParseHex_NotAHash_False(string? hex) => Assert.False(ApiKeyHash.TryParseHex(hex, out _));

    [Fact]
    public void ToString_NeverRevealsTheHash()
        => Assert.DoesNotContain(ApiKeyHash.Compute("k").ToHex(), ApiKeyHash.Compute("k").ToString(), StringComparison.Ordinal);

    [Fact]
    public void Default_IsEmptyAndEqualsNothing()
    {
        Assert.True(default(ApiKeyHash).IsEmpty);
        Assert.NotEqual(default, ApiKeyHash.Compute(string.Empty));
    }
}
