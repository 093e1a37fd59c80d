namespace Gateway.Functions.Pipeline;

/// <summary>
/// One step of the request path over the request's <see cref="ProxyContext"/>. Steps are
/// singletons: everything per request lives in the context. Register with
/// <see cref="PipelineServiceCollectionExtensions.AddProxyStep{TStep}"/> at a <see cref="ProxyStepOrder"/>.
/// </summary>
internal interface IProxyStep
{
    ValueTask<StepResult> RunAsync(ProxyContext context);
}
