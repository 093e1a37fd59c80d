using System.Net.Http.Headers;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Routing;

/// <summary>
/// The entry adapter of <c>/api/routes/...</c>: the caller speaks OpenAI's format and gets
/// OpenAI-shaped errors; every upstream call goes through a step's own adapter
/// (<see cref="UpstreamAttempt.Adapter"/>), so this one never sends anything. The body's
/// <c>model</c> is not read: each step names its own (and the key's settings are checked against it).
/// </summary>
internal sealed class RouteEntryAdapter : IProviderAdapter
{
    public const string ProviderName = "route";

    private static readonly RequestFields Fields = RequestFields.OpenAI with { Model = null };

    public static RouteEntryAdapter Instance { get; } = new();

    public string Name => ProviderName;

    public ApiStyle ErrorStyle => ApiStyle.OpenAI;

    public ProviderRoute? Route => null;

    public RequestFields RequestFieldsFor(string path) => Fields;

    // The route itself is matched by RouteAuthorizeStep (404 when there is none).
    public bool IsKnownPath(string path) => true;

    public Uri? MapUri(ProxyContext context, UpstreamAttempt attempt) => null;

    public void ApplyCredential(HttpRequestHeaders headers, IReadOnlyDictionary<string, string> secrets)
    {
    }

    public string? DefaultModel(ProxyContext context) => null;

    public bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt) => false;

    public IUsageReader? CreateUsageReader(string? mediaType, UsageRecorder usage) => JsonUsageReader.For(mediaType, usage);
}
