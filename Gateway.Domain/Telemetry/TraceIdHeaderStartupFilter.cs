using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Gateway.Domain.Telemetry;

/// <summary>
/// First middleware of every app: the response names the request's trace id in
/// <see cref="GatewayTelemetry.TraceIdHeader"/>. The trace continues the caller's <c>traceparent</c>
/// (ASP.NET Core's server span is its child), so the id is the caller's when it sent one.
/// </summary>
internal sealed class TraceIdHeaderStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next)
        => app =>
        {
            app.Use(static (context, nextMiddleware) =>
            {
                // Set when the headers go out, not now: an error writer may clear the headers first.
                context.Response.OnStarting(static state => AddHeader((HttpContext)state), context);
                return nextMiddleware(context);
            });
            next(app);
        };

    private static Task AddHeader(HttpContext context)
    {
        if (Activity.Current is { } activity && activity.TraceId != default)
        {
            context.Response.Headers[GatewayTelemetry.TraceIdHeader] = activity.TraceId.ToHexString();
        }

        return Task.CompletedTask;
    }
}
