using Gateway.Domain.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Admin.Functions.Functions;

/// <summary>The OpenAPI document, its reference page and the dashboard under the Functions host (see <see cref="AdminFunctions"/>).</summary>
internal sealed class DocsFunctions(GatewayHttpApp app)
{
    [Function("openapi")]
    public Task OpenApiAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "openapi.json")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("docs")]
    public Task DocsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "docs/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("dashboard")]
    public Task DashboardAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "dashboard/{*path}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("dashboard-session")]
    public Task DashboardSessionAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", "post", "delete", Route = "dashboard/session")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);
}
