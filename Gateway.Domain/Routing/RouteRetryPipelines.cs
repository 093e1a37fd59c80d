using System.Runtime.CompilerServices;
using Polly;

namespace Gateway.Domain.Routing;

/// <summary>
/// The retry pipeline of every step of a route, built once per route object: the config
/// snapshot replaces a changed route with a new object, so an edited route gets new pipelines
/// and the old ones go with the old snapshot.
/// </summary>
public sealed class RouteRetryPipelines(TimeProvider time)
{
    private readonly ConditionalWeakTable<Route, Entry[]> _pipelines = [];

    public (RouteStepPolicy Policy, ResiliencePipeline<AttemptOutcome> Pipeline) For(Route route, int stepIndex)
    {
        ArgumentNullException.ThrowIfNull(route);
        var entries = _pipelines.GetValue(route, r => [.. r.Steps.Select(s => Build(r, s))]);
        var entry = entries[stepIndex];
        return (entry.Policy, entry.Pipeline);
    }

    private Entry Build(Route route, RouteStep step)
    {
        var policy = RouteStepPolicy.For(route, step);
        return new Entry(policy, policy.BuildPipeline(time));
    }

    private sealed record Entry(RouteStepPolicy Policy, ResiliencePipeline<AttemptOutcome> Pipeline);
}
