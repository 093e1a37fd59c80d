using Gateway.Domain.Caching;
using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Pipeline.Steps;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Caching;

/// <summary>
/// The response cache, before the attempts: answers a hit from Redis (no upstream call, no spend),
/// or marks a miss and taps the answer for <see cref="CacheStoreStep"/>. Generic over the context
/// (entry adapter, path, model, deployment, route), so every provider path, the one-API and routes
/// get it. A cache failure is a miss.
/// </summary>
/// <remarks>
/// <code>
///  1 cacheable?  a JSON body on chat/completions, completions, embeddings or Anthropic messages
///  2 policy      x-bt-use-cache | route cacheConfig | key cacheMode | auto; TTL; key or tag scope
///  3 digest      SHA-256 of provider, model, deployment, path and the canonical body; auto needs
///                temperature 0 or a seed (embeddings always qualify)
///  4 slot        HMAC of the digest under the scope's key (derived from the caller's bearer: its gateway
///                key, or its own provider key on the one API, so two provider keys never share an entry)
///  5 lookup      Redis GET, AES-GCM open → hit: replay as JSON or SSE, x-bt-cached: HIT
///  6 miss        x-bt-cached: MISS, a capture tap on the delivered bytes
/// </code>
/// </remarks>
internal sealed partial class CacheStep : IProxyStep
{
    private readonly ResponseCacheStore _store;
    private readonly ResponseCacheMetrics _metrics;
    private readonly ResponseCacheOptions _options;
    private readonly byte[] _serverSecret;
    private readonly ILogger<CacheStep> _logger;

    public CacheStep(ResponseCacheStore store, ResponseCacheMetrics metrics, IOptions<ResponseCacheOptions> options, IOptions<EncryptionOptions> encryption, ILogger<CacheStep> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(encryption);
        _store = store;
        _metrics = metrics;
        _options = options.Value;
        _serverSecret = EncryptionOptions.TryDecodeKey(encryption.Value.Key, out var key) ? key : [];
        _logger = logger;
    }

    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        // 1 cacheable?
        if (context.Body is not { } body || context.Key is not { } key
            || CacheablePaths.KindOf(context) is not { } kind)
        {
            return StepResult.ContinueTask;
        }

        // 2 policy
        var http = context.Http;
        if (!CachePolicy.TryResolve(http.Request.Headers[CacheModes.Header].ToString(), context.RouteCache, key, _options.DefaultTtl, out var policy))
        {
            return StepResult.EndTask(ProxyOutcome.BadRequest($"{CacheModes.Header} must be auto, always or never"));
        }

        http.Response.Headers[CacheModes.AnswerHeader] = "MISS";
        if (policy.Mode == CacheMode.Never)
        {
            return StepResult.ContinueTask;
        }

        // 3 digest (auto without temperature 0 or a seed never qualifies: skip the canonical JSON)
        if (policy.Mode == CacheMode.Auto && !body.Repeatable && kind != CachedResponseKind.Embeddings)
        {
            return StepResult.ContinueTask;
        }

        var path = context.Path + http.Request.QueryString.Value;
        var digest = CanonicalRequest.Digest(context.Adapter.Name, context.Model, context.DeploymentId, path, body.Bytes.Span, out var repeatable);
        if (digest is null || (policy.Mode == CacheMode.Auto && !repeatable && kind != CachedResponseKind.Embeddings))
        {
            return StepResult.ContinueTask;
        }

        // 4 slot
        var scope = policy.SharedTag is { } tag
            ? CacheScopeKeys.ForTag(tag, _serverSecret)
            : CacheScopeKeys.ForGatewayKey(GatewayKeyReader.Read(http.Request.Headers), _serverSecret);
        var slot = scope.SlotName(digest);
        return LookupAsync(context, kind, body.Stream, scope, slot, policy.Ttl);
    }

    private async ValueTask<StepResult> LookupAsync(ProxyContext context, CachedResponseKind kind, bool stream, CacheScopeKeys scope, string slot, TimeSpan ttl)
    {
        // 5 lookup
        var sealedEntry = await _store.GetAsync(slot, context.Aborted);
        var entry = sealedEntry is null ? null : CacheEntryCodec.Open(scope, slot, sealedEntry);
        if (sealedEntry is not null && entry is null)
        {
            _metrics.Failed("open");
            LogUnreadable(_logger);
        }

        if (entry is not null && entry.Kind == kind && (!stream || entry.CanStream))
        {
            _metrics.Hit();
            await CacheHitWriter.WriteAsync(context, entry, stream);
            return StepResult.End(ProxyOutcome.Answered);
        }

        // 6 miss
        _metrics.Miss();
        context.ResponseTaps.Add(new CacheCaptureTap(new ResponseCapture(kind, stream, _options.MaxEntryBytes), scope, slot, ttl));
        return StepResult.Continue;
    }

    [LoggerMessage(1510, LogLevel.Warning, "A response cache entry did not open with the caller's scope key (damaged or from another key version); served as a miss")]
    private static partial void LogUnreadable(ILogger logger);
}
