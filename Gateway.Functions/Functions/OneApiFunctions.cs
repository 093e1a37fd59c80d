using Gateway.Domain.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Functions.Functions;

/// <summary>
/// The one OpenAI-format API and OpenAI-compatible settings under the Functions host (see
/// <see cref="ProviderFunctions"/>): each hands its request to the app's HTTP pipeline.
/// </summary>
internal sealed class OneApiFunctions(GatewayHttpApp app)
{
    [Function("v1")]
    public Task OneApiAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", "options", Route = "v1/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("v1models")]
    public Task ModelsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "options", Route = "v1/models")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("compatible")]
    public Task CompatibleAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", "options", Route = "providers/{settingName}/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);
}
