using Gateway.Domain.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Admin.Functions.Functions;

/// <summary>
/// The admin API's routes under the Functions host, one function per route group; each hands its
/// request to the app's HTTP pipeline (<see cref="GatewayHttpApp"/>: admin auth, then the endpoint),
/// which local mode runs too. The host-contract tests check these against the mapped endpoints (FunctionAppContract).
/// </summary>
internal sealed class AdminFunctions(GatewayHttpApp app)
{
    [Function("keys")]
    public Task KeysAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "put", "patch", "delete", Route = "key-management/keys/{keyId?}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("keys-v2")]
    public Task KeysV2Async([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v2/key-management/keys")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("provider-settings")]
    public Task ProviderSettingsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "put", "patch", Route = "provider-settings/{id?}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("custom-providers")]
    public Task CustomProvidersAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "patch", Route = "custom/providers/{id?}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("policies")]
    public Task PoliciesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "patch", Route = "policies/{id?}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("routes")]
    public Task RoutesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", Route = "routes/{id?}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("users")]
    public Task UsersAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "patch", Route = "users/{id?}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);
}
