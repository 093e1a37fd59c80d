using Gateway.Domain.Keys;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>Finds the gateway key (<c>x-api-key</c>, <c>api-key</c> or <c>Authorization</c>) by its hash.</summary>
internal sealed class AuthenticateStep(IApiKeyStore keys) : IProxyStep
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
        return lookup.IsCompletedSuccessfully ? ValueTask.FromResult(Apply(context, lookup.Result)) : AwaitAsync(context, lookup);
    }

    private static async ValueTask<StepResult> AwaitAsync(ProxyContext context, ValueTask<KeyLookup> lookup)
        => Apply(context, await lookup);

    private static StepResult Apply(ProxyContext context, KeyLookup lookup)
    {
        if (lookup.Key is null)
        {
            return StepResult.End(ProxyOutcome.Unauthorized("api key is not found"));
        }

        context.Key = lookup.Key;
        context.Snapshot = lookup.Snapshot;
        return StepResult.Continue;
    }
}
