using Gateway.Domain.Hosting;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Admin.Functions.Functions;

/// <summary>Events and reporting routes under the Functions host (see <see cref="AdminFunctions"/>).</summary>
internal sealed class AnalyticsFunctions(GatewayHttpApp app)
{
    [Function("events")]
    public Task EventsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "events")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("events-v2")]
    public Task EventsV2Async([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "v2/events")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("reporting-events")]
    public Task ReportingEventsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reporting/events")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("reporting-events-by-day")]
    public Task ReportingEventsByDayAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reporting/events-by-day")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("reporting-top-keys")]
    public Task ReportingTopKeysAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "reporting/top-keys")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("reporting-keys")]
    public Task ReportingKeysAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reporting/keys/{id}")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("reporting-custom-ids")]
    public Task ReportingCustomIdsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reporting/custom-ids")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);

    [Function("reporting-user-ids")]
    public Task ReportingUserIdsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "reporting/user-ids")] HttpRequest request)
        => app.InvokeAsync(request.HttpContext);
}
