using Amazon.Runtime;
using Amazon.Runtime.Internal;
using Amazon.Runtime.Internal.Auth;

namespace Gateway.Functions.Providers;

/// <summary>
/// AWS Signature Version 4 for an outgoing request, by AWSSDK.Core's own <see cref="AWS4Signer"/>
/// (not a signer of ours): the request is described to the SDK as a <see cref="DefaultRequest"/>, the
/// SDK computes the payload hash, canonical request and signature, and the headers it set
/// (<c>X-Amz-Date</c>, <c>X-Amz-Content-SHA256</c>, <c>Authorization</c>, the session token) are copied
/// onto the message. Verified against AWS's published examples (<c>BedrockSignerTests</c>).
/// </summary>
internal static class BedrockSigner
{
    /// <summary>Signs <paramref name="message"/> (whose body is <paramref name="body"/>) for <paramref name="service"/> in <paramref name="region"/>.</summary>
    public static void Sign(HttpRequestMessage message, ReadOnlyMemory<byte> body, AwsCredentials credentials, string region, string service, DateTime signedAtUtc, IEnumerable<KeyValuePair<string, string>>? signedHeaders = null)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(credentials);
        var uri = message.RequestUri ?? throw new ArgumentException("the request has no URI", nameof(message));
        var endpoint = new Uri(uri.GetLeftPart(UriPartial.Authority));
        var request = new DefaultRequest(new SignedRequest(), service)
        {
            HttpMethod = message.Method.Method,
            Endpoint = endpoint,

            Content = body.ToArray(),
        };
        SetPath(request, uri.AbsolutePath);
        foreach (var pair in System.Web.HttpUtility.ParseQueryString(uri.Query) is { } query ? Pairs(query) : [])
        {
            request.Parameters[pair.Key] = pair.Value;
        }

        foreach (var (name, value) in signedHeaders ?? [])
        {
            request.Headers[name] = value;
        }

        if (credentials.SessionToken is { Length: > 0 } token)
        {
            request.Headers["X-Amz-Security-Token"] = token;
        }

        var config = new SigningConfig(service, region, endpoint);
        var result = new AWS4Signer(signPayload: true).SignRequest(request, config, metrics: null, credentials.AccessKeyId, credentials.SecretAccessKey, signedAtUtc);
        foreach (var (name, value) in request.Headers)
        {
            if (name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                message.Headers.Remove(name);
                message.Headers.TryAddWithoutValidation(name, value);
            }
        }

        message.Headers.Remove("Authorization");
        message.Headers.TryAddWithoutValidation("Authorization", result.ForAuthorizationHeader);
    }

    /// <summary>
    /// The path as path resources, one per segment with its unescaped value, as the SDK's own
    /// marshallers describe <c>/model/{modelId}/invoke</c>: SigV4's canonical URI then encodes each
    /// segment once more (<c>v1:0</c> is <c>v1%3A0</c> on the wire, <c>v1%253A0</c> when signed), as AWS
    /// does for every service but S3. Handing the SDK the escaped path instead would encode it a third time.
    /// </summary>
    private static void SetPath(DefaultRequest request, string escapedPath)
    {
        var segments = escapedPath.Split('/');
        var template = new System.Text.StringBuilder(escapedPath.Length);
        for (var i = 0; i < segments.Length; i++)
        {
            if (i > 0)
            {
                template.Append('/');
            }

            if (segments[i].Length > 0)
            {
                var name = "{s" + i.ToString(System.Globalization.CultureInfo.InvariantCulture) + "}";
                template.Append(name);
                request.PathResources[name] = Uri.UnescapeDataString(segments[i]);
            }
        }

        request.ResourcePath = template.Length == 0 ? "/" : template.ToString();
    }

    private static IEnumerable<KeyValuePair<string, string>> Pairs(System.Collections.Specialized.NameValueCollection query)
    {
        foreach (var key in query.AllKeys)
        {
            if (key is not null)
            {
                yield return new(key, query[key] ?? string.Empty);
            }
        }
    }

    private sealed class SignedRequest : AmazonWebServiceRequest;

    // What the signer reads from a client's config: the signing region and service name.
    private sealed class SigningConfig : ClientConfig
    {
        private readonly string _service;

        public SigningConfig(string service, string region, Uri endpoint)
            : base(new NoDefaults())
        {
            _service = service;
            AuthenticationServiceName = service;
            AuthenticationRegion = region;
            ServiceURL = endpoint.ToString();
        }

        public override string RegionEndpointServiceName => _service;

        public override string ServiceVersion => "1";

        public override string UserAgent => "gateway";

        public override Amazon.Runtime.Endpoints.Endpoint DetermineServiceOperationEndpoint(Amazon.Runtime.Endpoints.ServiceOperationEndpointParameters parameters) => new(ServiceURL);
    }

    private sealed class NoDefaults : IDefaultConfigurationProvider
    {
        public IDefaultConfiguration GetDefaultConfiguration(Amazon.RegionEndpoint clientRegion, DefaultConfigurationMode? requestedConfigurationMode = null) => new DefaultConfiguration();
    }
}

/// <summary>AWS credentials from a Bedrock provider setting (<c>awsAccessKeyId</c>, <c>awsSecretAccessKey</c>, optional session token).</summary>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken = null);
