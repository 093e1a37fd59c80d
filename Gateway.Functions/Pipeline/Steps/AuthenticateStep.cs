using Gateway.Domain.Keys;
using Gateway.Functions.OneApi.ProviderKeys;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// Finds the gateway key (<c>x-api-key</c>, <c>api-key</c> or <c>Authorization</c>) by its hash; a
/// bearer that is no gateway key is refused, or admitted as the caller's provider key (<see cref="ProviderKeyGate"/>).
/// </summary>
internal sealed class AuthenticateStep(IApiKeyStore keys, ProviderKeyGate providerKeys) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        var rawKey = GatewayKeyReader.Read(context.Http.Request.Headers);
        if (rawKey is null)
        {
            return StepResult.EndTask(ProxyOutcome.Unauthorized("api key is missing"));
        }

        // Stay synchronous when the key is in memory (the common case).
        var lookup = keys.LookupAsync(ApiKeyHash.Compute(rawKey), context.Aborted);
        return lookup.IsCompletedSuccessfully ? ValueTask.FromResult(Apply(context, rawKey, lookup.Result)) : AwaitAsync(context, rawKey, lookup);
    }

    private async ValueTask<StepResult> AwaitAsync(ProxyContext context, string rawKey, ValueTask<KeyLookup> lookup)
        => Apply(context, rawKey, await lookup);

    private StepResult Apply(ProxyContext context, string rawKey, KeyLookup lookup)
    {
        if (lookup.Key is null)
        {
            return providerKeys.Admit(context, rawKey, lookup);
        }

        context.Key = lookup.Key;
        context.Snapshot = lookup.Snapshot;
        return StepResult.Continue;
    }
}
