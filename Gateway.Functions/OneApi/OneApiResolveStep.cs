using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions.OneApi;

/// <summary>
/// One-API requests only: the body's model picks the provider (<see cref="ModelResolver"/>); the
/// key's settings narrow to that provider's, and the model becomes the provider's own name for it,
/// so the model and end-user checks that follow, the limits and the usage event see what a native
/// call would.
/// </summary>
internal sealed class OneApiResolveStep(ProviderAdapters adapters) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        if (context.Adapter is not OneApiAdapter)
        {
            return StepResult.ContinueTask;
        }

        if (context.Body?.Model is not { Length: > 0 } model)
        {
            return StepResult.EndTask(ProxyOutcome.BadRequest("request body field 'model' is required"));
        }

        var (resolution, error) = ModelResolver.Resolve(model, context.Settings, adapters);
        if (resolution is null)
        {
            return StepResult.EndTask(ProxyOutcome.BadRequest(context.ProviderKey is null ? error! : ProviderKeys.ProviderKeyProviders.Unreachable(model, error!)));
        }

        context.OneApi = resolution;
        context.Model = resolution.UpstreamModel;
        context.Settings.Clear();
        context.Settings.AddRange(resolution.Settings);
        return StepResult.ContinueTask;
    }
}
