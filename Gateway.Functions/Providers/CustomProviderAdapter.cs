using System.Net.Http.Headers;
using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Providers;

/// <summary>
/// An admin-defined provider (<see cref="CustomProvider"/>): each route config names a path, the
/// upstream URL it goes to and where its model and stream flag are; the credential is the setting
/// parameter named by <c>authentication_param</c>, sent as <c>Authorization: Bearer</c> (BricksLLM).
/// Served at <c>/api/custom/providers/{provider}/{path}</c> through the adapter of the matching
/// route config (<see cref="ForPath"/>), which also reads usage where that config says.
/// </summary>
internal sealed class CustomProviderAdapter : IProviderAdapter
{
    private readonly CustomProvider _provider;
    private readonly Dictionary<string, (CustomRouteConfig Config, RequestFields Fields)> _routes;
    private readonly Dictionary<string, CustomProviderAdapter> _byPath = new(StringComparer.Ordinal);
    private readonly CustomRouteConfig? _served;

    public CustomProviderAdapter(CustomProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
        _routes = new(StringComparer.Ordinal);
        foreach (var route in provider.RouteConfigs)
        {
            _routes[Normalize(route.Path)] = (route, new RequestFields(NullIfEmpty(route.ModelLocation), NullIfEmpty(route.StreamLocation), []));
        }

        foreach (var (path, route) in _routes)
        {
            _byPath[path] = new CustomProviderAdapter(provider, _routes, route.Config);
        }
    }

    private CustomProviderAdapter(CustomProvider provider, Dictionary<string, (CustomRouteConfig, RequestFields)> routes, CustomRouteConfig served)
    {
        _provider = provider;
        _routes = routes;
        _served = served;
    }

    public string Name => _provider.Provider;

    public ApiStyle ErrorStyle => ApiStyle.OpenAI;

    public ProviderRoute? Route => null;

    /// <summary>The adapter serving the route config whose <c>path</c> is <paramref name="path"/>, or null when none is.</summary>
    public CustomProviderAdapter? ForPath(string path) => _byPath.GetValueOrDefault(Normalize(path));

    public RequestFields RequestFieldsFor(string path)
        => _routes.TryGetValue(Normalize(path), out var route) ? route.Fields : new RequestFields(null, null, []);

    public bool IsKnownPath(string path) => _routes.ContainsKey(Normalize(path));

    public Uri? MapUri(ProxyContext context, UpstreamAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        if (!_routes.TryGetValue(Normalize(attempt.Path), out var route) || !Uri.TryCreate(route.Config.TargetUrl + context.Http.Request.QueryString.Value, UriKind.Absolute, out var uri))
        {
            return null;
        }

        return uri;
    }

    public void ApplyCredential(HttpRequestHeaders headers, IReadOnlyDictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(secrets);
        if (_provider.AuthenticationParam is { Length: > 0 } name && secrets.TryGetValue(name, out var credential) && credential.Length > 0)
        {
            headers.TryAddWithoutValidation("Authorization", "Bearer " + credential);
        }
    }

    public string? DefaultModel(ProxyContext context) => null;

    // A custom upstream's stream format is only known through its route config: never rewrite its body.
    public bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt) => false;

    public IUsageReader? CreateUsageReader(string? mediaType, UsageRecorder usage)
        => _served is null || !IsTextual(mediaType) ? JsonUsageReader.For(mediaType, usage) : new CustomProviderUsageReader(_served, usage);

    /// <summary>The text at the config's <c>request_prompt_location</c>, counted for the prompt tokens at ingest.</summary>
    public string? PromptText(JsonRequestBody body)
    {
        ArgumentNullException.ThrowIfNull(body);
        return _served is null ? body.PromptText() : CustomProviderJsonPath.Text(body.Bytes.Span, _served.RequestPromptLocation);
    }

    private static bool IsTextual(string? mediaType)
        => mediaType is not null && (mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase) || mediaType == "text/event-stream");

    private static string Normalize(string path) => path.Trim('/');

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
