using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Gateway.Testing.ServiceBus;

/// <summary>
/// The fake's check of the <c>Authorization</c> header, written from the Service Bus SAS documentation and
/// independently of the client: <c>SharedAccessSignature sr=&amp;sig=&amp;se=&amp;skn=</c> with
/// sig = base64(HMAC-SHA256(UTF-8 key, "{sr as sent}\n{se as sent}")), se in the future, skn a known
/// policy and sr naming this namespace and a prefix of the entity addressed; or
/// <c>Bearer {the configured token}</c>.
/// </summary>
internal static class FakeServiceBusAuthorization
{
    /// <summary>Null when authorized; otherwise why not (the 401 body).</summary>
    public static string? Check(string? header, string entityPath, FakeServiceBusOptions options, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(header))
        {
            return "MissingToken: the Authorization header is missing.";
        }

        if (header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..]), Encoding.UTF8.GetBytes(options.BearerToken))
                ? null
                : "InvalidToken: the bearer token is not valid.";
        }

        const string Scheme = "SharedAccessSignature ";
        if (!header.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return "InvalidToken: unknown authorization scheme.";
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in header[Scheme.Length..].Split('&'))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !fields.TryAdd(pair[..equals], pair[(equals + 1)..]))
            {
                return "InvalidToken: malformed shared access signature.";
            }
        }

        if (!fields.TryGetValue("sr", out var sr) || !fields.TryGetValue("sig", out var sig)
            || !fields.TryGetValue("se", out var se) || !fields.TryGetValue("skn", out var skn) || fields.Count != 4)
        {
            return "InvalidToken: the shared access signature needs exactly sr, sig, se and skn.";
        }

        if (!options.Keys.TryGetValue(WebUtility.UrlDecode(skn), out var key))
        {
            return "InvalidToken: unknown shared access key name.";
        }

        if (!long.TryParse(se, NumberStyles.None, CultureInfo.InvariantCulture, out var expiry))
        {
            return "InvalidToken: se is not a number of seconds.";
        }

        if (expiry <= now.ToUnixTimeSeconds())
        {
            return "ExpiredToken: the shared access signature has expired.";
        }

        // The signature covers sr exactly as sent (still URL-encoded). The decoded sig must be the
        // base64 HMAC: WebUtility.UrlDecode turns an unencoded '+' into a space, so an unencoded
        // signature fails here as it does on the service.
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(sr + "\n" + se));
        byte[] actual;
        try
        {
            actual = Convert.FromBase64String(WebUtility.UrlDecode(sig));
        }
        catch (FormatException)
        {
            return "InvalidSignature: sig is not base64.";
        }

        if (!CryptographicOperations.FixedTimeEquals(expected, actual))
        {
            return "InvalidSignature: the signature does not match.";
        }

        // The service matches the resource on host and path, whatever the scheme (the SDKs sign amqps://,
        // sb:// or https:// resources alike).
        if (!Uri.TryCreate(WebUtility.UrlDecode(sr), UriKind.Absolute, out var resource)
            || !resource.Host.Equals(options.NamespaceHost, StringComparison.OrdinalIgnoreCase))
        {
            return "InvalidAudience: sr does not name this namespace.";
        }

        var scope = resource.AbsolutePath.Trim('/');
        var covered = scope.Length == 0
            || entityPath.Equals(scope, StringComparison.OrdinalIgnoreCase)
            || entityPath.StartsWith(scope + "/", StringComparison.OrdinalIgnoreCase);
        return covered ? null : $"InvalidAudience: sr does not cover '{entityPath}'.";
    }
}
