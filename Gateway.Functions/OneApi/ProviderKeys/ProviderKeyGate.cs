using Gateway.Domain.Keys;
using Gateway.Functions.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.OneApi.ProviderKeys;

/// <summary>
/// The authenticate step's answer for a bearer that is not a known gateway key. Without
/// <c>Proxy__AllowProviderKeys</c>, or off the one API, it is today's 401. With it, on
/// <c>/api/v1/...</c>, the bearer becomes the caller's provider key, but only when the key store
/// knows it is no gateway key (<see cref="KeyLookup.Absent"/>: the Redis config cache said so):
/// a lookup that was shed or failed cannot tell a just-created gateway key from a provider key, and
/// a gateway key must never reach a provider, so that is a 503 to retry. Revoked and expired gateway
/// keys are found, so they never get here (the authorize step answers 401 as before).
/// Gateway keys have no recognisable shape (the admin API takes any string as the raw key), so the
/// lookup is the test; a bearer without a provider key's shape (<c>sk-...</c>) is not forwarded at all.
/// </summary>
internal sealed class ProviderKeyGate
{
    private static readonly TimeSpan RetryUndecidedAfter = TimeSpan.FromSeconds(1);

    private readonly bool _enabled;
    private readonly ApiKey _caller;

    public ProviderKeyGate(IOptions<ProviderKeysOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _enabled = options.Value.AllowProviderKeys;

        // What the steps read of a key, for a caller without one: no id (the usage event's key_id is
        // empty), no tags, limits, allowed paths, policy, rotation or request/response logging; the
        // configured cache mode.
        _caller = new ApiKey
        {
            KeyId = string.Empty,
            Name = "provider key",
            KeyHash = string.Empty,
            CacheMode = options.Value.ProviderKeysCacheMode.ToString().ToLowerInvariant(),
        };
    }

    /// <summary>Admits <paramref name="bearer"/> as the caller's provider key, or ends the request (401, or 503 when the store could not tell).</summary>
    public StepResult Admit(ProxyContext context, string bearer, KeyLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!_enabled || context.Adapter is not OneApiAdapter || ProviderKeyProviders.ProviderOf(bearer) is not { } provider)
        {
            return StepResult.End(ProxyOutcome.Unauthorized("api key is not found"));
        }

        if (!lookup.Absent)
        {
            return StepResult.End(new ProxyOutcome(503, ProxyErrorKind.Unavailable, "the api key cannot be checked right now; retry shortly", RetryUndecidedAfter));
        }

        context.Key = _caller;
        context.Snapshot = lookup.Snapshot;
        context.ProviderKey = new ProviderKeyCaller(bearer, provider);
        return StepResult.Continue;
    }
}
