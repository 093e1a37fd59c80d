using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Telemetry;

/// <summary>Records the request's metrics once it is done; always runs, whatever step ended the request.</summary>
internal sealed class ProxyTelemetryStep(ProxyTelemetry telemetry) : IProxyStep
{
    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        telemetry.RequestEnded(context);
        return StepResult.ContinueTask;
    }
}
