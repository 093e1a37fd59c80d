using System.Security.Cryptography;
using System.Text;
using Gateway.Domain.Caching;

namespace Gateway.Domain.Tests.Caching;

public sealed class CacheEntryCodecTests
{
    private static readonly byte[] ServerSecret = RandomNumberGenerator.GetBytes(32);

    private static CachedResponse Answer(string text) => new()
    {
        Kind = CachedResponseKind.ChatCompletion,
        Json = Encoding.UTF8.GetBytes("{\"id\":\"c1\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"" + text + "\"}}]}"),
        Parts = new CachedParts { Id = "c1", Choices = [new CachedChoice { Segments = [text] }] },
        PromptTokens = 3,
        CompletionTokens = 2,
    };

    [Fact]
    public void Seal_ThenOpen_WithTheSameGatewayKey_RoundTrips()
    {
        var keys = CacheScopeKeys.ForGatewayKey("gw-key-a", ServerSecret);
        var slot = keys.SlotName(SHA256.HashData("request"u8));

        var opened = CacheEntryCodec.Open(keys, slot, CacheEntryCodec.Seal(keys, slot, Answer("secret answer")));

        Assert.NotNull(opened);
        Assert.Equal("secret answer", opened.Parts!.Choices[0].Text);
        Assert.Equal(3, opened.PromptTokens);
        Assert.Equal(Answer("secret answer").Json, opened.Json);
    }

    [Fact]
    public void Sealed_HoldsNoPlaintext()
    {
        var keys = CacheScopeKeys.ForGatewayKey("gw-key-a", ServerSecret);
        var slot = keys.SlotName(SHA256.HashData("request"u8));

        var sealedEntry = CacheEntryCodec.Seal(keys, slot, Answer("Hello plaintext marker"));

        Assert.DoesNotContain("plaintext marker", Encoding.UTF8.GetString(sealedEntry), StringComparison.Ordinal);
        Assert.DoesNotContain("plaintext marker", Convert.ToBase64String(sealedEntry), StringComparison.Ordinal);
    }

    [Fact]
    public void OtherGatewayKey_NamesAnotherSlotAndCannotOpen()
    {
        var digest = SHA256.HashData("request"u8);
        var a = CacheScopeKeys.ForGatewayKey("gw-key-a", ServerSecret);
        var b = CacheScopeKeys.ForGatewayKey("gw-key-b", ServerSecret);
        var slot = a.SlotName(digest);
        var sealedEntry = CacheEntryCodec.Seal(a, slot, Answer("x"));

        Assert.NotEqual(slot, b.SlotName(digest));
        Assert.Null(CacheEntryCodec.Open(b, slot, sealedEntry));
    }

    [Fact]
    public void SameGatewayKey_OtherServerSecret_CannotOpen()
    {
        var a = CacheScopeKeys.ForGatewayKey("gw-key-a", ServerSecret);
        var other = CacheScopeKeys.ForGatewayKey("gw-key-a", RandomNumberGenerator.GetBytes(32));
        var slot = a.SlotName(SHA256.HashData("request"u8));

        Assert.Null(CacheEntryCodec.Open(other, slot, CacheEntryCodec.Seal(a, slot, Answer("x"))));
    }

    [Fact]
    public void Entry_MovedToAnotherSlotOrAltered_DoesNotOpen()
    {
        var keys = CacheScopeKeys.ForGatewayKey("gw-key-a", ServerSecret);
        var slot = keys.SlotName(SHA256.HashData("one"u8));
        var sealedEntry = CacheEntryCodec.Seal(keys, slot, Answer("x"));
        var altered = (byte[])sealedEntry.Clone();
        altered[^1] ^= 1;

        Assert.Null(CacheEntryCodec.Open(keys, keys.SlotName(SHA256.HashData("two"u8)), sealedEntry));
        Assert.Null(CacheEntryCodec.Open(keys, slot, altered));
        Assert.Null(CacheEntryCodec.Open(keys, slot, sealedEntry.AsSpan(0, 10)));
    }

    [Fact]
    public void TagScope_IsSharedByTheTagOnly()
    {
        var digest = SHA256.HashData("request"u8);
        var team = CacheScopeKeys.ForTag("team", ServerSecret);
        var slot = team.SlotName(digest);
        var sealedEntry = CacheEntryCodec.Seal(team, slot, Answer("shared"));

        Assert.Equal("shared", CacheEntryCodec.Open(CacheScopeKeys.ForTag("team", ServerSecret), slot, sealedEntry)!.Parts!.Choices[0].Text);
        Assert.Null(CacheEntryCodec.Open(CacheScopeKeys.ForTag("other", ServerSecret), slot, sealedEntry));
        Assert.NotEqual(slot, CacheScopeKeys.ForGatewayKey("team", ServerSecret).SlotName(digest));
    }
}
