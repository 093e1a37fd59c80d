using Microsoft.Extensions.Options;

namespace Gateway.Domain.Providers;

/// <summary>
/// How provider credentials are encrypted at rest: <c>Encryption__Key</c> (base64 of 32 random
/// bytes; a Key Vault reference in Azure) and <c>Encryption__KeyVersion</c>.
/// </summary>
public sealed class EncryptionOptions
{
    public const string Section = "Encryption";

    /// <summary>Base64 of a 256-bit AES key.</summary>
    public string? Key { get; set; }

    /// <summary>
    /// Written into every ciphertext (1-255), so that a later key rotation can tell which key
    /// encrypted a value. Change it together with <see cref="Key"/>.
    /// </summary>
    public int KeyVersion { get; set; } = 1;

    internal static bool TryDecodeKey(string? value, out byte[] key)
    {
        key = [];
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var buffer = new byte[((value.Length + 3) / 4) * 3];
        if (!Convert.TryFromBase64String(value.Trim(), buffer, out var written) || written != CredentialProtector.KeySizeInBytes)
        {
            return false;
        }

        key = buffer[..written];
        return true;
    }
}

internal sealed class EncryptionOptionsValidator : IValidateOptions<EncryptionOptions>
{
    public ValidateOptionsResult Validate(string? name, EncryptionOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Key))
        {
            return ValidateOptionsResult.Fail("The setting Encryption__Key (base64 of a 32-byte AES key, e.g. from `openssl rand -base64 32`) is required: provider credentials are encrypted with it.");
        }

        if (!EncryptionOptions.TryDecodeKey(options.Key, out _))
        {
            return ValidateOptionsResult.Fail("The setting Encryption__Key must be base64 of exactly 32 bytes (a 256-bit AES key), e.g. from `openssl rand -base64 32`.");
        }

        return options.KeyVersion is < 1 or > 255
            ? ValidateOptionsResult.Fail("The setting Encryption__KeyVersion must be between 1 and 255.")
            : ValidateOptionsResult.Success;
    }
}
