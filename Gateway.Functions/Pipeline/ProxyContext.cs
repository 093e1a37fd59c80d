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

    // authorize: the key's settings of this provider, narrowed by the allowed models later.
    public List<ProviderSetting> Settings { get; } = [];

    /// <summary>The key's <c>allowedPaths</c> named this path (so an unknown provider path is allowed).</summary>
    public bool PathAllowedByKey { get; set; }

    // read body
    public TimeSpan HeadersTimeout { get; set; }

    public JsonRequestBody? Body { get; set; }

    public string? Model { get; set; }

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

    /// <summary>A bounded copy of the delivered response, when the key logs responses.</summary>
    public MemoryStream? ResponseCopy { get; set; }

    // outcome
    public int Status { get; set; }

    public bool Streamed { get; set; }

    public bool ClientDisconnected { get; set; }

    /// <summary>Set when a step ended the request; later steps (but final ones) are skipped.</summary>
    public ProxyOutcome? Outcome { get; set; }

    public void Dispose()
    {
        Body?.Dispose();
        ResponseCopy?.Dispose();
    }
}
