using Gateway.Domain.Providers;
using Gateway.Domain.Routing;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// The settings to try for a plain provider call: the first one, or with <c>rotationEnabled</c> the
/// weighted round robin's pick among the settings whose circuit breaker lets them take traffic
/// (<see cref="SettingHealth"/>; all of them when none does), then the next of those, so that a
/// retryable failure before the first byte is retried once elsewhere. Routes use their own step.
/// </summary>
internal sealed class AttemptsStep(WeightedRotation rotation, SettingHealth health) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        var settings = context.Settings;
        if (!context.Key!.RotationEnabled || settings.Count == 1)
        {
            context.Attempts.Add(UpstreamAttempt.Direct(context, settings[0]));
            return StepResult.ContinueTask;
        }

        var candidates = Healthy(settings);
        var pick = rotation.Next(context.Key.KeyId, candidates);
        context.Attempts.Add(UpstreamAttempt.Direct(context, candidates[pick]));
        if (candidates.Count > 1)
        {
            context.Attempts.Add(UpstreamAttempt.Direct(context, candidates[(pick + 1) % candidates.Count]));
        }

        return StepResult.ContinueTask;
    }

    private List<ProviderSetting> Healthy(List<ProviderSetting> settings)
    {
        List<ProviderSetting>? healthy = null;
        for (var i = 0; i < settings.Count; i++)
        {
            if (!health.IsAvailable(settings[i].Id))
            {
                healthy ??= settings.GetRange(0, i);
                continue;
            }

            healthy?.Add(settings[i]);
        }

        // Every setting cooling down: rotate over all of them rather than refuse the request.
        return healthy is { Count: 0 } ? settings : healthy ?? settings;
    }
}
