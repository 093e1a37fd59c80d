using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Users;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// What the body decides: the settings that allow the model (<c>allowedModels</c>), and the end
/// user, matched once here (ingest charges the matched row and does not match again) and held to
/// its own restrictions.
/// </summary>
internal sealed class EndUserStep(TimeProvider time) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        // The one API has resolved the model already (the provider's own name for it).
        context.Model ??= context.Body?.Model ?? context.Adapter.DefaultModel(context);
        if (context.Model is { } model && !AnyAllowsEveryModel(context.Settings))
        {
            context.Settings.RemoveAll(s => !s.AllowedModels.Contains(model, StringComparer.Ordinal));
            if (context.Settings.Count == 0)
            {
                return StepResult.EndTask(ProxyOutcome.Forbidden("model is not allowed"));
            }
        }

        // A provider-key caller has no key whose end users could match (every user would match its empty tags).
        if (context.ProviderKey is not null || context.Body?.User is not { Length: > 0 } userId || Match(context.Snapshot, context.Key!, userId) is not { } user)
        {
            return StepResult.ContinueTask;
        }

        context.EndUser = user;
        if (user.Revoked)
        {
            return StepResult.EndTask(ProxyOutcome.Unauthorized("user has been revoked"));
        }

        if (KeyExpiry.IsExpired(user, time.GetUtcNow()))
        {
            return StepResult.EndTask(ProxyOutcome.Unauthorized("user has expired"));
        }

        if (user.Limits.AllowedPaths.Count > 0 && !AllowedPathMatcher.IsAllowed(user.Limits.AllowedPaths, context.Http.Request.Method, context.PublicPath))
        {
            return StepResult.EndTask(ProxyOutcome.Forbidden("path is not allowed for this user"));
        }

        if (user.AllowedModels.Count > 0 && (context.Model is null || !user.AllowedModels.Contains(context.Model, StringComparer.Ordinal)))
        {
            return StepResult.EndTask(ProxyOutcome.Forbidden("model is not allowed for this user"));
        }

        return StepResult.ContinueTask;
    }

    private static bool AnyAllowsEveryModel(List<Domain.Providers.ProviderSetting> settings)
    {
        foreach (var setting in settings)
        {
            if (setting.AllowedModels.Count == 0)
            {
                return true;
            }
        }

        return false;
    }

    // BricksLLM matches an end user to users whose tags contain all of the key's tags; a user
    // that names the key in its keyIds is preferred.
    internal static User? Match(ConfigSnapshot snapshot, ApiKey key, string userId)
    {
        if (!snapshot.UsersByUserId.TryGetValue(userId, out var users))
        {
            return null;
        }

        foreach (var user in users)
        {
            if (user.KeyIds.Contains(key.KeyId, StringComparer.Ordinal))
            {
                return user;
            }
        }

        foreach (var user in users)
        {
            if (key.Tags.TrueForAll(t => user.Tags.Contains(t, StringComparer.Ordinal)))
            {
                return user;
            }
        }

        return null;
    }
}
