using System.Security.Cryptography;
using System.Text.Json;
using Gateway.Domain.Json;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Providers;

/// <summary>
/// Encrypts a provider setting's secret parameters (API keys) for storage in PostgreSQL and the
/// Redis config cache, with AES-256-GCM. The admin app protects; the proxy unprotects.
/// </summary>
/// <remarks>
/// Layout: <c>[key version: 1][nonce: 12][tag: 16][ciphertext]</c>. The nonce is random per
/// encryption (at most a few thousand writes per key, far below GCM's 2^32 random-nonce bound).
/// The version byte is also the associated data, so it cannot be swapped without failing the tag.
/// </remarks>
public sealed class CredentialProtector
{
    public const int KeySizeInBytes = 32;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1;

    private readonly byte[] _key;
    private readonly byte _keyVersion;

    public CredentialProtector(IOptions<EncryptionOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!EncryptionOptions.TryDecodeKey(options.Value.Key, out _key))
        {
            throw new OptionsValidationException(EncryptionOptions.Section, typeof(EncryptionOptions), ["The setting Encryption__Key must be base64 of exactly 32 bytes."]);
        }

        _keyVersion = checked((byte)options.Value.KeyVersion);
    }

    public byte[] Protect(Dictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(secrets);
        var plaintext = JsonSerializer.SerializeToUtf8Bytes(secrets, DomainJsonContext.Default.DictionaryStringString);
        var output = new byte[HeaderSize + NonceSize + TagSize + plaintext.Length];
        output[0] = _keyVersion;
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        var tag = output.AsSpan(HeaderSize + NonceSize, TagSize);
        var ciphertext = output.AsSpan(HeaderSize + NonceSize + TagSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, output.AsSpan(0, HeaderSize));
        CryptographicOperations.ZeroMemory(plaintext);
        return output;
    }

    /// <exception cref="CryptographicException">The value was not produced with the configured key, or was altered.</exception>
    public Dictionary<string, string> Unprotect(byte[] protectedSecrets)
    {
        ArgumentNullException.ThrowIfNull(protectedSecrets);
        if (protectedSecrets.Length < HeaderSize + NonceSize + TagSize)
        {
            throw new CryptographicException("The protected credential is too short to be a ciphertext of this format.");
        }

        if (protectedSecrets[0] != _keyVersion)
        {
            throw new CryptographicException($"The credential was encrypted with key version {protectedSecrets[0]}, but the configured Encryption__KeyVersion is {_keyVersion}.");
        }

        var plaintext = new byte[protectedSecrets.Length - HeaderSize - NonceSize - TagSize];
        try
        {
            using var aes = new AesGcm(_key, TagSize);
            aes.Decrypt(
                protectedSecrets.AsSpan(HeaderSize, NonceSize),
                protectedSecrets.AsSpan(HeaderSize + NonceSize + TagSize),
                protectedSecrets.AsSpan(HeaderSize + NonceSize, TagSize),
                plaintext,
                protectedSecrets.AsSpan(0, HeaderSize));
            return JsonSerializer.Deserialize(plaintext, DomainJsonContext.Default.DictionaryStringString)
                ?? throw new CryptographicException("The protected credential decrypted to an empty document.");
        }
        catch (JsonException ex)
        {
            throw new CryptographicException("The protected credential decrypted to something other than a JSON object of strings.", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
