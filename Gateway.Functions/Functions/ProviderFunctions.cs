using Gateway.Domain.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Functions.Functions;

/// <summary>
/// The provider routes under the Functions host: each hands its request to the app's HTTP pipeline
/// (<see cref="GatewayHttpApp"/>), which local mode runs too. A route here must match an endpoint of
/// <see cref="ProxyEndpoints.MapProxy"/> (the host-contract tests check both ways with FunctionAppContract).
/// </summary>
internal sealed class ProviderFunctions(GatewayHttpApp app)
{
    [Function("openai")]
    public Task OpenAiAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "options", Route = "providers/openai/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("azure")]
    public Task AzureAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", "options", Route = "providers/azure/openai/deployments/{deploymentId}/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("anthropic")]
    public Task AnthropicAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", "options", Route = "providers/anthropic/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("vllm")]
    public Task VllmAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", "options", Route = "providers/vllm/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("deepinfra")]
    public Task DeepInfraAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", "options", Route = "providers/deepinfra/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);
}
