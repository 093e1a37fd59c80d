using System.Security.Cryptography;
using System.Text;

namespace Gateway.Domain.Keys;

/// <summary>SHA-256 of a raw gateway key: the only form in which a key is stored, cached or compared.</summary>
public readonly struct ApiKeyHash : IEquatable<ApiKeyHash>
{
    private readonly byte[]? _bytes;

    private ApiKeyHash(byte[] bytes) => _bytes = bytes;

    public static ApiKeyHash Compute(ReadOnlySpan<char> rawKey)
    {
        var max = Encoding.UTF8.GetMaxByteCount(rawKey.Length);
        var buffer = max <= 512 ? stackalloc byte[max] : new byte[max];
        var written = Encoding.UTF8.GetBytes(rawKey, buffer);
        var hash = new byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer[..written], hash);
        return new ApiKeyHash(hash);
    }

    public static bool TryParseHex(string? hex, out ApiKeyHash hash)
    {
        hash = default;
        if (hex is null || hex.Length != SHA256.HashSizeInBytes * 2)
        {
            return false;
        }

        try
        {
            hash = new ApiKeyHash(Convert.FromHexString(hex));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public bool IsEmpty => _bytes is null;

    /// <summary>Lowercase hex, as BricksLLM stores it.</summary>
    public string ToHex() => _bytes is null ? string.Empty : Convert.ToHexStringLower(_bytes);

    // Constant time: the comparison must not leak how many leading bytes of a guessed key matched.
    public bool Equals(ApiKeyHash other)
        => _bytes is not null && other._bytes is not null && CryptographicOperations.FixedTimeEquals(_bytes, other._bytes);

    public override bool Equals(object? obj) => obj is ApiKeyHash other && Equals(other);

    public override int GetHashCode() => _bytes is null ? 0 : BitConverter.ToInt32(_bytes, 0);

    public static bool operator ==(ApiKeyHash left, ApiKeyHash right) => left.Equals(right);

    public static bool operator !=(ApiKeyHash left, ApiKeyHash right) => !left.Equals(right);

    public override string ToString() => "ApiKeyHash(redacted)";
}
