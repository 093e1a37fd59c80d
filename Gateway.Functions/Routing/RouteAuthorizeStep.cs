using Gateway.Functions.Pipeline;
using Gateway.Functions.Pipeline.Steps;

namespace Gateway.Functions.Routing;

/// <summary>
/// In place of <see cref="AuthorizeStep"/> on <c>/api/routes/...</c>: the key's own checks, then
/// the route stored at the path (404), the route's <c>keyIds</c> (403), the key's
/// <c>allowedPaths</c>, and the key's settings of the providers the steps use.
/// </summary>
internal sealed class RouteAuthorizeStep(TimeProvider time) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        var key = context.Key!;
        if (AuthorizeStep.KeyRefusal(key, time.GetUtcNow()) is { } refused)
        {
            return StepResult.EndTask(refused);
        }

        var path = "/" + context.Path;
        if (!context.Snapshot.RoutesByPath.TryGetValue(path, out var route))
        {
            return StepResult.EndTask(ProxyOutcome.NotFound($"route {path} is not found"));
        }

        if (route.KeyIds.Count > 0 && !route.KeyIds.Contains(key.KeyId, StringComparer.Ordinal))
        {
            return StepResult.EndTask(ProxyOutcome.Forbidden($"this key may not call route {path}"));
        }

        if (key.Limits.AllowedPaths.Count > 0 && !AllowedPathMatcher.IsAllowed(key.Limits.AllowedPaths, context.Http.Request.Method, context.PublicPath))
        {
            return StepResult.EndTask(ProxyOutcome.Forbidden("path is not allowed"));
        }

        context.Route = route;
        var settings = context.Snapshot.ProviderSettings;
        foreach (var id in key.SettingIds)
        {
            if (settings.TryGetValue(id, out var setting) && route.Steps.Exists(s => string.Equals(s.Provider, setting.Provider, StringComparison.Ordinal)))
            {
                context.Settings.Add(setting);
            }
        }

        return context.Settings.Count == 0
            ? StepResult.EndTask(ProxyOutcome.Forbidden($"no provider setting attached to this key serves a step of route {path}"))
            : StepResult.ContinueTask;
    }
}
