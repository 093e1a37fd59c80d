using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Gateway.Testing.FakeLlm;

public sealed partial class FakeLlmServer
{
    private const string SigV4Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>
    /// SigV4 as AWS checks it, written here independently of the SDK the gateway signs with:
    /// <c>Authorization: AWS4-HMAC-SHA256 Credential=&lt;key&gt;/&lt;date&gt;/&lt;region&gt;/bedrock/aws4_request,
    /// SignedHeaders=..., Signature=...</c>, <c>X-Amz-Date</c>, and <c>x-amz-content-sha256</c> equal to
    /// the body's hash when sent. With <see cref="FakeBedrockBehavior.SecretAccessKey"/> set, the
    /// signature is recomputed (canonical request with the path URI-encoded once more, as AWS does
    /// for every service but S3) and compared. Refusals are Bedrock's 403s.
    /// </summary>
    private async Task<bool> AuthenticateBedrockAsync(FakeLlmExchange x)
    {
        var request = x.Context.Request;
        var authorization = request.Headers.Authorization.ToString();
        var amzDate = request.Headers["X-Amz-Date"].ToString();
        if (!authorization.StartsWith(SigV4Algorithm + " ", StringComparison.Ordinal) || amzDate.Length != 16)
        {
            return await RefuseBedrockAsync(x, "MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        var fields = ParseAuthorization(authorization[(SigV4Algorithm.Length + 1)..]);
        var credential = fields.GetValueOrDefault("Credential")?.Split('/');
        if (credential is not { Length: 5 } || fields.GetValueOrDefault("SignedHeaders") is not { Length: > 0 } signedHeaders
            || fields.GetValueOrDefault("Signature") is not { Length: 64 } signature)
        {
            return await RefuseBedrockAsync(x, "IncompleteSignatureException", "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.");
        }

        if (credential[3] != "bedrock" || credential[4] != "aws4_request" || credential[1] != amzDate[..8])
        {
            return await RefuseBedrockAsync(x, "InvalidSignatureException", $"Credential should be scoped to a valid region and to service 'bedrock' on {amzDate[..8]}.");
        }

        if (Bedrock.AccessKeyId is { } keyId && credential[0] != keyId)
        {
            return await RefuseBedrockAsync(x, "UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var bodyHash = Convert.ToHexStringLower(SHA256.HashData(x.Request.Body.Span));
        var contentHash = request.Headers["x-amz-content-sha256"].ToString();
        if (contentHash.Length > 0 && contentHash != bodyHash)
        {
            return await RefuseBedrockAsync(x, "InvalidSignatureException", "The provided 'x-amz-content-sha256' header does not match what was computed.");
        }

        var names = signedHeaders.Split(';');
        if (!names.Contains("host") || !names.Contains("x-amz-date"))
        {
            return await RefuseBedrockAsync(x, "InvalidSignatureException", "Host and X-Amz-Date must be signed.");
        }

        if (Bedrock.SecretAccessKey is { } secret)
        {
            var canonical = new StringBuilder()
                .Append(request.Method).Append('\n')
                .Append(UriEncode(x.Request.Path, keepSlash: true)).Append('\n')
                .Append(string.Empty).Append('\n');
            foreach (var name in names)
            {
                var value = name == "host" ? request.Host.Value : string.Join(",", request.Headers[name].Select(static v => v?.Trim()));
                canonical.Append(name).Append(':').Append(value).Append('\n');
            }

            canonical.Append('\n').Append(signedHeaders).Append('\n').Append(contentHash.Length > 0 ? contentHash : bodyHash);
            var scope = string.Join('/', credential[1..]);
            var toSign = $"{SigV4Algorithm}\n{amzDate}\n{scope}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
            var key = Encoding.UTF8.GetBytes("AWS4" + secret);
            foreach (var part in credential[1..])
            {
                key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(part));
            }

            var expected = Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(toSign)));
            if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(signature)))
            {
                return await RefuseBedrockAsync(x, "InvalidSignatureException", "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.");
            }
        }

        return true;
    }

    private static async Task<bool> RefuseBedrockAsync(FakeLlmExchange x, string errorType, string message)
    {
        x.Context.Response.Headers["x-amzn-ErrorType"] = errorType + ":http://internal.amazon.com/coral/com.amazon.coral.service/";
        await FakeLlmResponses.WriteJsonAsync(x, StatusCodes.Status403Forbidden, FakeJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        }));
        return false;
    }

    private static Dictionary<string, string> ParseAuthorization(string parameters)
    {
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in parameters.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals > 0)
            {
                fields[part[..equals]] = part[(equals + 1)..];
            }
        }

        return fields;
    }

    // RFC 3986 unreserved characters stay; every other byte is %XX (upper case), as SigV4 specifies.
    private static string UriEncode(string value, bool keepSlash)
    {
        var encoded = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~' || (keepSlash && c == '/'))
            {
                encoded.Append(c);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }
}
