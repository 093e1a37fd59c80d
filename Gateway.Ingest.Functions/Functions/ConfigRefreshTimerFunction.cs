using Gateway.Ingest.Functions.ConfigRefresh;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Ingest.Functions.Functions;

/// <summary>
/// <c>config-refresh</c> on the timer trigger; local mode's <see cref="ConfigRefreshTimerService"/>
/// runs the same <see cref="ConfigRefreshFunction.RunAsync"/> on the same schedule. A failure is
/// logged by the host and retried at the next occurrence; proxies keep their last good copy meanwhile.
/// </summary>
internal sealed class ConfigRefreshTimerFunction(IServiceProvider services)
{
    [Function(ConfigRefreshFunction.Name)]
    public Task RunAsync([TimerTrigger(ConfigRefreshFunction.ScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken)
        => ConfigRefreshFunction.RunAsync(services, cancellationToken);
}
