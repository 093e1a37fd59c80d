using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>
/// Mints and caches Service Bus shared access signatures ("Generate SAS token" in the Service Bus
/// authentication docs): <c>SharedAccessSignature sr={url-encoded resource URI}&amp;sig={url-encoded
/// base64 HMAC-SHA256 of "{url-encoded resource URI}\n{expiry}"}&amp;se={expiry, unix seconds}&amp;skn={key name}</c>.
/// </summary>
/// <remarks>
/// The HMAC key is the UTF-8 bytes of the SharedAccessKey string as it appears in the connection
/// string: it is not base64-decoded first (the documented samples do the same). The resource is
/// lower-cased and has no trailing slash, as the Azure SDKs normalise it; entity names are
/// case-insensitive, and the service signs and compares the <c>sr</c> value as sent.
/// </remarks>
internal sealed class ServiceBusSasTokenProvider
{
    private readonly string _resourceUri;
    private readonly string _keyName;
    private readonly byte[] _key;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _lifetime;
    private readonly TimeSpan _renewBefore;
    private readonly Lock _gate = new();
    private (string Token, DateTimeOffset ExpiresOn)? _cached;

    public ServiceBusSasTokenProvider(string resourceUri, string keyName, string key, TimeSpan lifetime, TimeProvider timeProvider)
    {
        ArgumentException.ThrowIfNullOrEmpty(resourceUri);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentOutOfRangeException.ThrowIfLessThan(lifetime, TimeSpan.FromMinutes(1));
        ArgumentNullException.ThrowIfNull(timeProvider);
        _resourceUri = NormalizeResource(resourceUri);
        _keyName = keyName;
        _key = Encoding.UTF8.GetBytes(key);
        _timeProvider = timeProvider;
        _lifetime = lifetime;
        // Renew well before expiry so a token never expires in flight or under modest clock skew,
        // without minting one per request.
        _renewBefore = TimeSpan.FromTicks(Math.Min(TimeSpan.FromMinutes(5).Ticks, lifetime.Ticks / 4));
    }

    /// <summary>The normalised resource URI the tokens are scoped to.</summary>
    public string ResourceUri => _resourceUri;

    /// <summary>The cached token, or a new one when the cached one expires within the renewal margin.</summary>
    public string GetToken()
    {
        var now = _timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (_cached is { } cached && cached.ExpiresOn - now > _renewBefore)
            {
                return cached.Token;
            }

            // Whole seconds, rounded up: se is an integer and must not fall short of the lifetime.
            var expiresOn = DateTimeOffset.FromUnixTimeSeconds((now + _lifetime).ToUnixTimeSeconds() + 1);
            var token = CreateToken(_resourceUri, _keyName, _key, expiresOn);
            _cached = (token, expiresOn);
            return token;
        }
    }

    /// <summary>One SAS token for <paramref name="resourceUri"/> (normalised), valid until <paramref name="expiresOn"/>.</summary>
    public static string CreateToken(string resourceUri, string keyName, string key, DateTimeOffset expiresOn)
        => CreateToken(NormalizeResource(resourceUri), keyName, Encoding.UTF8.GetBytes(key), expiresOn);

    private static string CreateToken(string normalizedResource, string keyName, byte[] key, DateTimeOffset expiresOn)
    {
        var encodedResource = WebUtility.UrlEncode(normalizedResource);
        var expiry = expiresOn.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry)));
        return $"SharedAccessSignature sr={encodedResource}&sig={WebUtility.UrlEncode(signature)}&se={expiry}&skn={WebUtility.UrlEncode(keyName)}";
    }

    private static string NormalizeResource(string resourceUri) => resourceUri.TrimEnd('/').ToLowerInvariant();
}
