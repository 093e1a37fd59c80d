using System.Net.Http.Headers;
using Gateway.Domain.Providers;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Translation;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Providers;

/// <summary>
/// Anthropic models on Amazon Bedrock: natively at <c>/api/providers/bedrock/anthropic/v1/{messages,complete}</c>
/// (BricksLLM's paths; the body made Bedrock's by <see cref="BedrockNativeStep"/>) and as a target of the
/// one API and route steps (<see cref="BedrockMessagesTranslation"/>). Every request goes to
/// <c>{base}/model/{modelId}/invoke</c> or <c>/invoke-with-response-stream</c> in the setting's
/// <c>awsRegion</c>, signed with SigV4 for service <c>bedrock</c> (<see cref="BedrockSigner"/>) with the
/// setting's <c>awsAccessKeyId</c>, <c>awsSecretAccessKey</c> and optional <c>awsSessionToken</c>. The
/// answer is Anthropic's JSON, or Bedrock's event stream decoded to Anthropic's SSE
/// (<see cref="BedrockEventStream"/>); Bedrock's errors become Anthropic's (<see cref="BedrockErrors"/>).
/// </summary>
internal sealed class BedrockAdapter(IOptions<UpstreamOptions> upstreams, TimeProvider time) : IProviderAdapter, IChatTranslationTarget
{
    public const string RegionParameter = "awsRegion";

    /// <summary>The SigV4 service name of the Bedrock runtime API.</summary>
    public const string SigningService = "bedrock";

    private const string BaseUrlParameter = "baseUrl";

    public string Name => BuiltInProviders.Bedrock;

    public ApiStyle ErrorStyle => ApiStyle.Anthropic;

    public ProviderRoute? Route { get; } = new("/api/providers/bedrock/anthropic/{**path}", [HttpMethods.Post], [HttpMethods.Get, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete]);

    public IChatTranslation ChatTranslation => BedrockMessagesTranslation.Instance;

    public RequestFields RequestFieldsFor(string path) => RequestFields.Anthropic;

    public bool IsKnownPath(string path) => path is BedrockPaths.Messages or BedrockPaths.Complete;

    public Uri? MapUri(ProxyContext context, UpstreamAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        var setting = attempt.Setting;
        if (!setting.Parameters.TryGetValue(RegionParameter, out var region) || string.IsNullOrWhiteSpace(region))
        {
            return null;
        }

        var baseUrl = setting.Parameters.TryGetValue(BaseUrlParameter, out var overridden) && !string.IsNullOrWhiteSpace(overridden)
            ? overridden
            : upstreams.Value.Bedrock.BaseUrl.Replace("{region}", Uri.EscapeDataString(region), StringComparison.Ordinal);
        return Uri.TryCreate(string.Concat(baseUrl.AsSpan().TrimEnd('/'), "/", attempt.Path), UriKind.Absolute, out var uri) ? uri : null;
    }

    // The credential is the SigV4 signature over the final request: PrepareRequest.
    public void ApplyCredential(HttpRequestHeaders headers, IReadOnlyDictionary<string, string> secrets)
    {
    }

    public void PrepareRequest(HttpRequestMessage message, ProxyContext context, UpstreamAttempt attempt, IReadOnlyDictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        ArgumentNullException.ThrowIfNull(secrets);

        // What an Anthropic client sends for api.anthropic.com means nothing to Bedrock (the version
        // and betas travel in the body); a client's own x-amz-* headers must not reach the signature.
        var strip = new List<string>();
        foreach (var (name, _) in message.Headers.NonValidated)
        {
            if (name.StartsWith("anthropic-", StringComparison.OrdinalIgnoreCase) || name.StartsWith("x-amz-", StringComparison.OrdinalIgnoreCase))
            {
                strip.Add(name);
            }
        }

        foreach (var name in strip)
        {
            message.Headers.Remove(name);
        }

        if (message.Content is { } content)
        {
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        }

        message.Headers.Accept.Clear();
        message.Headers.Accept.ParseAdd(BedrockPaths.IsStream(attempt.Path) ? BedrockEventStreamContent.MediaType : "application/json");
        var credentials = new AwsCredentials(
            secrets.GetValueOrDefault(ProviderCredentials.AwsAccessKeyId) ?? string.Empty,
            secrets.GetValueOrDefault(ProviderCredentials.AwsSecretAccessKey) ?? string.Empty,
            secrets.GetValueOrDefault(ProviderCredentials.AwsSessionToken));
        var body = attempt.Body ?? context.Body?.Bytes ?? ReadOnlyMemory<byte>.Empty;
        BedrockSigner.Sign(message, body, credentials, attempt.Setting.Parameters[RegionParameter], SigningService, time.GetUtcNow().UtcDateTime);
    }

    public void AdaptResponse(HttpResponseMessage response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var status = (int)response.StatusCode;
        if (status >= 400)
        {
            var errorType = response.Headers.TryGetValues(BedrockErrors.ErrorTypeHeader, out var values) ? values.FirstOrDefault() : null;
            response.Content = BedrockErrors.AnthropicContent(response.Content, errorType, status);
        }
        else if (response.Content.Headers.ContentType?.MediaType == BedrockEventStreamContent.MediaType)
        {
            response.Content = new BedrockEventStreamContent(response.Content);
        }
    }

    public string? DefaultModel(ProxyContext context) => null;

    public bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt) => false;

    public IUsageReader? CreateUsageReader(string? mediaType, UsageRecorder usage) => JsonUsageReader.For(mediaType, usage);
}

/// <summary>Bedrock's native paths (below the adapter's prefix) and its runtime API's.</summary>
internal static class BedrockPaths
{
    public const string Messages = "v1/messages";
    public const string Complete = "v1/complete";

    private const string StreamSuffix = "/invoke-with-response-stream";

    /// <summary><c>model/{modelId}/invoke</c>, or <c>/invoke-with-response-stream</c> when streamed; the id escaped (<c>:</c> → <c>%3A</c>).</summary>
    public static string Invoke(string modelId, bool stream)
        => string.Concat("model/", Uri.EscapeDataString(modelId), stream ? StreamSuffix : "/invoke");

    public static bool IsStream(string path) => path.EndsWith(StreamSuffix, StringComparison.Ordinal);
}
