using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Domain.Caching;

/// <summary>
/// Seals a <see cref="CachedResponse"/> for Redis with AES-256-GCM under its scope's key, and opens
/// it again. Layout: <c>[format: 1][nonce: 12][tag: 16][ciphertext of the JSON entry]</c>; the
/// format byte and the slot name are the associated data, so an entry moved to another slot, or
/// altered, fails to open (a miss, never a wrong answer).
/// </summary>
/// <remarks>
/// Nonces are random: a scope writes far fewer than 2^32 entries per key, GCM's bound for random
/// 96-bit nonces.
/// </remarks>
public static class CacheEntryCodec
{
    private const byte Format = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    public static byte[] Seal(CacheScopeKeys keys, string slot, CachedResponse response)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(slot);
        ArgumentNullException.ThrowIfNull(response);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(response, CachingJsonContext.Default.CachedResponse);
        var output = new byte[HeaderSize + plaintext.Length];
        output[0] = Format;
        RandomNumberGenerator.Fill(output.AsSpan(1, NonceSize));
        using var aes = new AesGcm(keys.Encryption, TagSize);
        aes.Encrypt(output.AsSpan(1, NonceSize), plaintext, output.AsSpan(HeaderSize), output.AsSpan(1 + NonceSize, TagSize), AssociatedData(slot));
        CryptographicOperations.ZeroMemory(plaintext);
        return output;
    }

    /// <summary>The entry, or null when it was not sealed by this scope for this slot (or is damaged).</summary>
    public static CachedResponse? Open(CacheScopeKeys keys, string slot, ReadOnlySpan<byte> sealedEntry)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(slot);
        if (sealedEntry.Length < HeaderSize || sealedEntry[0] != Format)
        {
            return null;
        }

        var plaintext = new byte[sealedEntry.Length - HeaderSize];
        try
        {
            using var aes = new AesGcm(keys.Encryption, TagSize);
            aes.Decrypt(sealedEntry.Slice(1, NonceSize), sealedEntry[HeaderSize..], sealedEntry.Slice(1 + NonceSize, TagSize), plaintext, AssociatedData(slot));
            return JsonSerializer.Deserialize(plaintext, CachingJsonContext.Default.CachedResponse);
        }
        catch (Exception ex) when (ex is CryptographicException or JsonException)
        {
            return null;
        }
    }

    private static byte[] AssociatedData(string slot) => Encoding.ASCII.GetBytes("\u0001" + slot);
}
