using Gateway.Domain.Keys;
using Gateway.Functions.OneApi.ProviderKeys;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// What the key alone decides: revoked, past its ttl, <c>allowedPaths</c>, a path the provider
/// serves, and a setting of this provider attached to the key.
/// </summary>
internal sealed class AuthorizeStep(TimeProvider time) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        if (context.ProviderKey is { } caller)
        {
            return ValueTask.FromResult(ProviderKeyProviders.Authorize(context, caller.Provider));
        }

        var key = context.Key!;
        if (KeyRefusal(key, time.GetUtcNow()) is { } refused)
        {
            return StepResult.EndTask(refused);
        }

        var adapter = context.Adapter;
        if (key.Limits.AllowedPaths.Count > 0)
        {
            if (!AllowedPathMatcher.IsAllowed(key.Limits.AllowedPaths, context.Http.Request.Method, context.PublicPath))
            {
                return StepResult.EndTask(ProxyOutcome.Forbidden("path is not allowed"));
            }

            context.PathAllowedByKey = true;
        }
        else if (!adapter.IsKnownPath(context.Path))
        {
            return StepResult.EndTask(ProxyOutcome.NotFound($"path {context.PublicPath} is not a known {adapter.Name} endpoint"));
        }

        var settings = context.Snapshot.ProviderSettings;
        foreach (var id in key.SettingIds)
        {
            if (settings.TryGetValue(id, out var setting) && adapter.Serves(context, setting))
            {
                context.Settings.Add(setting);
            }
        }

        return context.Settings.Count == 0
            ? StepResult.EndTask(ProxyOutcome.Forbidden($"no {adapter.Name} provider setting is attached to this key"))
            : StepResult.ContinueTask;
    }

    /// <summary>Why the key alone is refused (revoked, past its ttl), or null.</summary>
    internal static ProxyOutcome? KeyRefusal(ApiKey key, DateTimeOffset now)
        => key.Revoked ? ProxyOutcome.Unauthorized("api key has been revoked")
            : KeyExpiry.IsExpired(key, now) ? ProxyOutcome.Unauthorized("api key has expired")
            : null;
}
