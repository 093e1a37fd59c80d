using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;
using Gateway.Domain.Providers;
using Gateway.Domain.Users;
using Route = Gateway.Domain.Routing.Route;
using Gateway.Functions.Providers;
using Gateway.Functions.Routing;

namespace Gateway.Functions.Pipeline;

/// <summary>
/// One proxied request as the steps see it: filled in step by step (key, settings, body, end
/// user, limits, attempts, usage) and read by the usage event at the end.
/// </summary>
internal sealed class ProxyContext : IDisposable
{
    public required HttpContext Http { get; init; }

    public required IProviderAdapter Adapter { get; init; }

    /// <summary>The path below the provider's prefix, e.g. <c>v1/chat/completions</c>.</summary>
    public required string Path { get; init; }

    public string? DeploymentId { get; init; }

    /// <summary>When the request arrived (<see cref="TimeProvider.GetTimestamp"/> and wall clock).</summary>
    public long StartedTimestamp { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>The client's <c>RequestAborted</c>, also cancelled when the shutdown grace runs out.</summary>
    public CancellationToken Aborted { get; init; }

    public string PublicPath => Http.Request.Path.Value ?? string.Empty;

    // authenticate
    public ApiKey? Key { get; set; }

    public ConfigSnapshot Snapshot { get; set; } = ConfigSnapshot.Empty;

    /// <summary>
    /// One-API calls with the caller's own provider key (<c>Proxy__AllowProviderKeys</c>): its
    /// credential. <see cref="Key"/> is then a stand-in without id, limits or policy.
    /// </summary>
    public OneApi.ProviderKeys.ProviderKeyCaller? ProviderKey { get; set; }

    // authorize: the key's settings of this provider, narrowed by the allowed models later.
    public List<ProviderSetting> Settings { get; } = [];

    /// <summary>The key's <c>allowedPaths</c> named this path (so an unknown provider path is allowed).</summary>
    public bool PathAllowedByKey { get; set; }

    // read body
    public TimeSpan HeadersTimeout { get; set; }

    public JsonRequestBody? Body { get; set; }

    public string? Model { get; set; }

    /// <summary>One-API requests: the provider the model resolved to (<see cref="OneApi.OneApiResolveStep"/>).</summary>
    public OneApi.ModelResolution? OneApi { get; set; }

    // end user and limits
    public User? EndUser { get; set; }

    public LimitDecision Limits { get; set; } = LimitDecision.Allowed;

    /// <summary>The failover route being served (<c>/api/routes/...</c>); its <c>cacheConfig</c> is the cache step's.</summary>
    public Route? Route { get; set; }

    // attempts and forward
    public List<UpstreamAttempt> Attempts { get; } = [];

    /// <summary>The attempt that answered (or was last tried).</summary>
    public UpstreamAttempt? Attempt { get; set; }

    /// <summary>The provider that answered (or was last tried): the attempt's adapter, else the entry adapter.</summary>
    public string UpstreamName => (Attempt?.Adapter ?? Adapter).Name;

    /// <summary>The setting of <see cref="Attempt"/>.</summary>
    public ProviderSetting? Setting => Attempt?.Setting;

    /// <summary>Request-wide rewrites of the answer, applied in order after the attempt's translation.</summary>
    public List<IResponseTransform> ResponseTransforms { get; } = [];

    /// <summary>Observers of the delivered answer (after every transform).</summary>
    public List<IResponseTap> ResponseTaps { get; } = [];

    /// <summary>Tries that failed before their first byte and were retried or failed over; each gets its own usage event.</summary>
    public List<FailedAttempt> FailedAttempts { get; } = [];

    public UsageRecorder Usage { get; } = new();

    /// <summary>The key's PII policy and what it did (privacy step, response transforms), for the usage event.</summary>
    public Privacy.PrivacyRecord? Privacy { get; set; }

    /// <summary>A bounded copy of the delivered response, when the key logs responses.</summary>
    public MemoryStream? ResponseCopy { get; set; }

    // outcome
    public int Status { get; set; }

    public bool Streamed { get; set; }

    public bool ClientDisconnected { get; set; }

    /// <summary>Answered from the response cache: the usage event is marked cached (costs nothing).</summary>
    public bool Cached { get; set; }

    /// <summary>The route's <c>cacheConfig</c> when the request came through a route (set by routing).</summary>
    public Gateway.Domain.Routing.RouteCacheConfig? RouteCache { get; set; }

    /// <summary>Set when a step ended the request; later steps (but final ones) are skipped.</summary>
    public ProxyOutcome? Outcome { get; set; }

    // telemetry: what the status does not say, set by the steps that know (Telemetry/RequestOutcome)

    /// <summary>A policy refused the request: the privacy step recorded a block.</summary>
    public bool RefusedByPolicy => Privacy is { Action: Gateway.Domain.Privacy.PiiAction.Block };

    /// <summary>An attempt after the first answered (rotation after a 429, a route's failover).</summary>
    public bool FailedOver => Attempt is { } answered && Attempts.Count > 1 && !ReferenceEquals(answered, Attempts[0]);

    /// <summary>When the forward step started and ended (<see cref="TimeProvider.GetTimestamp"/>); 0 when there was no upstream call.</summary>
    public long UpstreamStartedTimestamp { get; set; }

    public long UpstreamEndedTimestamp { get; set; }

    /// <summary>When the first response body byte went to the client; 0 until then.</summary>
    public long FirstByteTimestamp { get; set; }

    public void Dispose()
    {
        Body?.Dispose();
        ResponseCopy?.Dispose();
    }
}
