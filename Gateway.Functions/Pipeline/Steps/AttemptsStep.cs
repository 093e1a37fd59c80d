using System.Collections.Concurrent;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// The settings to try, in order: the first one, or with <c>rotationEnabled</c> all of them round
/// robin per key, starting one further on each request (an upstream 429 moves on to the next).
/// Routing replaces this step with a route's steps.
/// </summary>
internal sealed class AttemptsStep : IProxyStep
{
    private readonly ConcurrentDictionary<string, int> _rotation = new(StringComparer.Ordinal);

    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        var settings = context.Settings;
        if (!context.Key!.RotationEnabled || settings.Count == 1)
        {
            context.Attempts.Add(UpstreamAttempt.Direct(context, settings[0]));
            return StepResult.ContinueTask;
        }

        var start = (int)((uint)_rotation.AddOrUpdate(context.Key.KeyId, 0, static (_, previous) => previous + 1) % (uint)settings.Count);
        for (var i = 0; i < settings.Count; i++)
        {
            context.Attempts.Add(UpstreamAttempt.Direct(context, settings[(start + i) % settings.Count]));
        }

        return StepResult.ContinueTask;
    }
}
