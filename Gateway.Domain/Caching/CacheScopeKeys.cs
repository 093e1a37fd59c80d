using System.Security.Cryptography;
using System.Text;

namespace Gateway.Domain.Caching;

/// <summary>
/// The two keys of one cache scope, derived with HKDF-SHA256: one names entries (HMAC of the
/// request digest), one encrypts them (AES-256-GCM). A key's own scope derives from the raw gateway
/// key, which the gateway never stores: only a caller holding it can find or read its entries,
/// and a Redis dump shows neither its requests nor its answers.
/// </summary>
/// <remarks>
/// The server's <c>Encryption__Key</c> is the HKDF salt of a key's scope, so a leaked gateway key
/// alone does not open a Redis dump either. A tag's shared scope (<c>cacheScope: "tag:&lt;tag&gt;"</c>)
/// cannot derive from one caller's key; it derives from the server key and the tag, so entries
/// stay opaque to anyone without the server key, and the proxy serves them only to keys that carry
/// the tag and opted in.
/// </remarks>
public sealed class CacheScopeKeys
{
    private const int KeySize = 32;
    private static readonly byte[] KeyInfo = "gw-cache-v1 key scope"u8.ToArray();
    private static readonly byte[] TagInfo = "gw-cache-v1 tag scope"u8.ToArray();

    private CacheScopeKeys(byte[] naming, byte[] encryption)
    {
        Naming = naming;
        Encryption = encryption;
    }

    internal byte[] Naming { get; }

    internal byte[] Encryption { get; }

    public static CacheScopeKeys ForGatewayKey(ReadOnlySpan<char> rawKey, ReadOnlySpan<byte> serverSecret)
    {
        var max = Encoding.UTF8.GetMaxByteCount(rawKey.Length);
        var ikm = max <= 512 ? stackalloc byte[max] : new byte[max];
        var written = Encoding.UTF8.GetBytes(rawKey, ikm);
        try
        {
            return Derive(ikm[..written], serverSecret, KeyInfo);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(ikm);
        }
    }

    public static CacheScopeKeys ForTag(string tag, ReadOnlySpan<byte> serverSecret)
    {
        ArgumentNullException.ThrowIfNull(tag);
        return Derive(serverSecret, Encoding.UTF8.GetBytes("tag:" + tag), TagInfo);
    }

    private static CacheScopeKeys Derive(ReadOnlySpan<byte> ikm, ReadOnlySpan<byte> salt, ReadOnlySpan<byte> info)
    {
        Span<byte> okm = stackalloc byte[KeySize * 2];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, okm, salt, info);
        var keys = new CacheScopeKeys(okm[..KeySize].ToArray(), okm[KeySize..].ToArray());
        CryptographicOperations.ZeroMemory(okm);
        return keys;
    }

    /// <summary>The entry's name in this scope: hex HMAC-SHA256 of the request digest.</summary>
    public string SlotName(ReadOnlySpan<byte> requestDigest)
    {
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(Naming, requestDigest, mac);
        return Convert.ToHexStringLower(mac);
    }
}
