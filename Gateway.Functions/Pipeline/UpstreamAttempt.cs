using Gateway.Domain.Providers;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Pipeline;

/// <summary>
/// One way to answer the request: which adapter sends it, with which provider setting, to which
/// path. A plain provider call has one per setting (rotation); a route has one per step; the
/// one-API picks the adapter by model. The entry adapter (<see cref="ProxyContext.Adapter"/>) keeps
/// the caller's API style; this one speaks to the upstream.
/// </summary>
internal sealed class UpstreamAttempt(IProviderAdapter adapter, ProviderSetting setting, string path, string? deploymentId)
{
    public IProviderAdapter Adapter { get; } = adapter;

    public ProviderSetting Setting { get; } = setting;

    /// <summary>The path below the adapter's prefix, e.g. <c>v1/chat/completions</c>.</summary>
    public string Path { get; } = path;

    public string? DeploymentId { get; } = deploymentId;

    /// <summary>The model this attempt asks for, when it differs from the client's (route steps, one-API).</summary>
    public string? Model { get; init; }

    /// <summary>The body to send instead of the client's (route <c>requestParams</c>, translation); null sends the client's.</summary>
    public ReadOnlyMemory<byte>? Body { get; init; }

    /// <summary>This attempt's own time to response headers (a route step's <c>timeout</c>); null uses the request's.</summary>
    public TimeSpan? HeadersTimeout { get; init; }

    /// <summary>The query string (with its <c>?</c>) to send instead of the client's: a route step's <c>api-version</c>.</summary>
    public string? Query { get; init; }

    /// <summary>The route step this attempt runs (0-based), when the request came through a route.</summary>
    public int? RouteStep { get; init; }

    /// <summary>Rewrites applied to this attempt's answer before anything request-wide (translation back to the caller's API).</summary>
    public IResponseTransform? Translation { get; init; }

    /// <summary>The attempt that serves a plain provider call: the entry adapter, path and deployment.</summary>
    public static UpstreamAttempt Direct(ProxyContext context, ProviderSetting setting)
    {
        ArgumentNullException.ThrowIfNull(context);
        return new UpstreamAttempt(context.Adapter, setting, context.Path, context.DeploymentId);
    }
}
