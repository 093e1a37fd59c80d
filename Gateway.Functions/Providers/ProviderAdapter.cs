using System.Net.Http.Headers;
using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Providers;

/// <summary>
/// What the built-in adapters share: a fixed list of known paths, a base URL that a setting's
/// <c>baseUrl</c> parameter overrides, <c>Authorization: Bearer</c>, and JSON/SSE usage.
/// </summary>
internal abstract class ProviderAdapter(string name, ApiStyle style, ProviderRoute route, RequestFields fields, IReadOnlyList<string> knownPaths) : IProviderAdapter
{
    protected const string BaseUrlParameter = "baseUrl";

    // The last URL mapped, by its parts: nearly every request of a deployment goes to the same URL,
    // and comparing three short strings is much cheaper than building and parsing a Uri. A Uri is
    // immutable, so requests may share it; a request for another URL just replaces the entry.
    private MappedUri? _lastUri;

    public string Name { get; } = name;

    public ApiStyle ErrorStyle { get; } = style;

    public ProviderRoute? Route { get; } = route;

    public IReadOnlyList<string> KnownPaths { get; } = knownPaths;

    public RequestFields RequestFieldsFor(string path) => fields;

    public bool IsKnownPath(string path)
    {
        foreach (var known in KnownPaths)
        {
            if (path.StartsWith(known, StringComparison.Ordinal) && (path.Length == known.Length || path[known.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }

    public Uri? MapUri(ProxyContext context, UpstreamAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        var setting = attempt.Setting;
        var baseUrl = setting.Parameters.TryGetValue(BaseUrlParameter, out var overridden) && !string.IsNullOrWhiteSpace(overridden)
            ? overridden
            : BaseUrl(setting);
        if (string.IsNullOrWhiteSpace(baseUrl))
        {
            return null;
        }

        var query = attempt.Query ?? context.Http.Request.QueryString.Value;
        var path = UpstreamPath(attempt);
        if (_lastUri is { } last && last.Matches(baseUrl, path, query))
        {
            return last.Uri;
        }

        var url = string.Concat(baseUrl.AsSpan().TrimEnd('/'), "/", path, query);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            return null;
        }

        _lastUri = new MappedUri(baseUrl, path, query, uri);
        return uri;
    }

    public virtual void ApplyCredential(HttpRequestHeaders headers, IReadOnlyDictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(secrets);
        if (secrets.TryGetValue(ProviderCredentials.ApiKey, out var credential) && !string.IsNullOrEmpty(credential))
        {
            headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
        }
    }

    public virtual bool Serves(ProxyContext context, ProviderSetting setting) => string.Equals(setting?.Provider, Name, StringComparison.Ordinal);

    public virtual string? DefaultModel(ProxyContext context) => null;

    public virtual bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt) => false;

    public IUsageReader? CreateUsageReader(string? mediaType, UsageRecorder usage)
        => JsonUsageReader.For(mediaType, usage);

    /// <summary>The base URL when the setting does not override it; null when the setting lacks what it needs.</summary>
    protected abstract string? BaseUrl(ProviderSetting setting);

    /// <summary>The path sent upstream, below the base URL.</summary>
    protected virtual string UpstreamPath(UpstreamAttempt attempt) => attempt.Path;

    private sealed record MappedUri(string BaseUrl, string Path, string? Query, Uri Uri)
    {
        public bool Matches(string baseUrl, string path, string? query)
            => string.Equals(BaseUrl, baseUrl, StringComparison.Ordinal)
                && string.Equals(Path, path, StringComparison.Ordinal)
                && string.Equals(Query, query, StringComparison.Ordinal);
    }

    /// <summary>Chat and text completions stream with OpenAI's optional final usage chunk.</summary>
    protected static bool IsCompletionPath(string path)
        => path.EndsWith("chat/completions", StringComparison.Ordinal) || path.EndsWith("/completions", StringComparison.Ordinal) || path == "completions";
}
