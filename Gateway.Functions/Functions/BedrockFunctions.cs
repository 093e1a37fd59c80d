using Gateway.Domain.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Functions.Functions;

/// <summary>
/// BricksLLM's native Bedrock route (<c>v1/messages</c>, <c>v1/complete</c> below it) under the Functions
/// host; it matches <see cref="Providers.BedrockAdapter"/>'s route, which local mode maps (POST; the
/// other methods are answered 405 there, not by the openai-compatible <c>{settingName}</c> route).
/// </summary>
internal sealed class BedrockFunctions(GatewayHttpApp app)
{
    [Function("bedrock")]
    public Task BedrockAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", "delete", "options", Route = "providers/bedrock/anthropic/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);
}
