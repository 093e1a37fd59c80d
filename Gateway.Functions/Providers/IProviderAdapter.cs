using System.Net.Http.Headers;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Providers;

/// <summary>
/// Everything the proxy knows about one provider. Adding a provider is one adapter and its
/// registration (<see cref="ProvidersServiceCollectionExtensions.AddProviderAdapter{T}"/>); no step
/// asks which provider it serves.
/// </summary>
internal interface IProviderAdapter
{
    /// <summary>The provider name settings carry (<c>openai</c>, <c>anthropic</c>, ...).</summary>
    string Name { get; }

    /// <summary>The shape of the gateway's own errors on this provider's paths.</summary>
    ApiStyle ErrorStyle { get; }

    /// <summary>The public route the proxy serves this provider at; null when it is not served at a fixed route (custom providers, issue 13).</summary>
    ProviderRoute? Route { get; }

    /// <summary>Where the model, stream flag and end user are in a JSON request to <paramref name="path"/>.</summary>
    RequestFields RequestFieldsFor(string path);

    /// <summary>
    /// Whether <paramref name="path"/> (below the provider's prefix) is served to every key; any
    /// other path needs the key's <c>allowedPaths</c> to name it.
    /// </summary>
    bool IsKnownPath(string path);

    /// <summary>The upstream URL for <paramref name="attempt"/>, or null when its setting lacks a parameter the provider needs.</summary>
    Uri? MapUri(ProxyContext context, UpstreamAttempt attempt);

    /// <summary>
    /// Whether a provider setting serves this request (by default: its provider is <see cref="Name"/>;
    /// the one API takes every setting, an OpenAI-compatible provider the one named in the path).
    /// </summary>
    bool Serves(ProxyContext context, Gateway.Domain.Providers.ProviderSetting setting) => string.Equals(setting?.Provider, Name, StringComparison.Ordinal);

    /// <summary>Puts the provider credential where the provider expects it.</summary>
    void ApplyCredential(HttpRequestHeaders headers, IReadOnlyDictionary<string, string> secrets);

    /// <summary>
    /// Last touches once the URL, body, credential and the attempt's headers are on the upstream
    /// request (Bedrock: its headers and the SigV4 signature over the final bytes). Most adapters need none.
    /// </summary>
    void PrepareRequest(HttpRequestMessage message, ProxyContext context, UpstreamAttempt attempt, IReadOnlyDictionary<string, string> secrets)
    {
    }

    /// <summary>
    /// The upstream's answer as the relay should read it, once its headers came (Bedrock: its event
    /// stream decoded to Anthropic's SSE, its errors in Anthropic's shape). Most adapters need none.
    /// </summary>
    void AdaptResponse(HttpResponseMessage response)
    {
    }

    /// <summary>The model when the body names none (Azure: the deployment in the path).</summary>
    string? DefaultModel(ProxyContext context);

    /// <summary>Whether a streamed request may be asked for the final usage chunk (<c>stream_options.include_usage</c>).</summary>
    bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt);

    /// <summary>The prompt as text, counted for the prompt tokens when the answer reports no usage.</summary>
    string? PromptText(JsonRequestBody body) => body.PromptText();

    /// <summary>A reader for usage in the response (JSON, or SSE event by event), or null when the media type carries none.</summary>
    IUsageReader? CreateUsageReader(string? mediaType, UsageRecorder usage);
}
