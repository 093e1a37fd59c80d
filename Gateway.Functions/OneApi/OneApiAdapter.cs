using System.Net.Http.Headers;
using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions.OneApi;

/// <summary>
/// The entry adapter of the one OpenAI-format API at <c>/api/v1/*</c>: OpenAI's request fields and
/// error shape, every provider's settings. It never sends anything itself: <see cref="OneApiResolveStep"/>
/// picks the provider by model and <see cref="OneApiAttemptsStep"/> builds attempts to that
/// provider's adapter (translated when it does not speak OpenAI).
/// </summary>
internal sealed class OneApiAdapter : IProviderAdapter
{
    public const string AdapterName = "oneapi";

    public string Name => AdapterName;

    public ApiStyle ErrorStyle => ApiStyle.OpenAI;

    public ProviderRoute? Route { get; } = new("/api/v1/{**path}", [HttpMethods.Post]);

    public RequestFields RequestFieldsFor(string path) => RequestFields.OpenAI;

    public bool IsKnownPath(string path) => OneApiOperations.TryParse(path, out _);

    /// <summary>Every setting of the key: the model decides the provider.</summary>
    public bool Serves(ProxyContext context, ProviderSetting setting) => setting is not null;

    // Attempts of the one API always target a provider's adapter (OneApiAttemptsStep).
    public Uri? MapUri(ProxyContext context, UpstreamAttempt attempt) => null;

    public void ApplyCredential(HttpRequestHeaders headers, IReadOnlyDictionary<string, string> secrets)
    {
    }

    public string? DefaultModel(ProxyContext context) => null;

    public bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt) => false;

    public IUsageReader? CreateUsageReader(string? mediaType, UsageRecorder usage) => JsonUsageReader.For(mediaType, usage);
}
