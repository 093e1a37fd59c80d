using Gateway.Functions.Pipeline;
using Gateway.Functions.Pipeline.Steps;

namespace Gateway.Functions.Routing;

/// <summary>
/// The pipeline of <c>/api/routes/...</c>: every registered step, with the route's own authorize
/// and attempts steps in place of the plain provider ones. Steps added later (privacy, cache)
/// run on routes too without knowing about them.
/// </summary>
internal sealed class RoutePipeline(IEnumerable<ProxyStepRegistration> registrations, IServiceProvider services, TimeProvider time, ProxyShutdown shutdown, ILogger<ProxyPipeline> logger)
{
    public ProxyPipeline Pipeline { get; } = new(registrations.Select(Substitute), services, time, shutdown, logger);

    private static ProxyStepRegistration Substitute(ProxyStepRegistration registration)
        => registration.StepType == typeof(AuthorizeStep) ? registration with { StepType = typeof(RouteAuthorizeStep) }
            : registration.StepType == typeof(AttemptsStep) ? registration with { StepType = typeof(RouteAttemptsStep) }
            : registration;
}
