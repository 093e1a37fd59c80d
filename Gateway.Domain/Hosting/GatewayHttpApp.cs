using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Domain.Hosting;

/// <summary>
/// An app's HTTP side, built once: its middleware and its endpoints (the <c>Map*</c> calls), as one
/// request pipeline. Local mode runs every request through it; under the Functions host each HTTP
/// <c>[Function]</c> hands its <see cref="HttpContext"/> to it, so both modes route, authenticate
/// and answer with the same code. A function only declares which routes reach the app.
/// </summary>
public sealed class GatewayHttpApp
{
    private readonly RequestDelegate _pipeline;

    public GatewayHttpApp(IServiceProvider services, GatewayHttpSetup setup)
    {
        ArgumentNullException.ThrowIfNull(setup);
        var app = new ApplicationBuilder(services);
        app.UseRouting();
        setup.Middleware(app);
        app.UseEndpoints(endpoints => setup.Endpoints(endpoints));
        _pipeline = app.Build();
    }

    /// <summary>Routes and serves one request.</summary>
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Under the host, the worker's own routing already chose the function's endpoint; ours must
        // match again against the app's endpoints (routing skips matching when an endpoint is set).
        context.SetEndpoint(null);
        context.Request.RouteValues.Clear();
        return _pipeline(context);
    }
}

/// <summary>What <see cref="GatewayHttpApp"/> is built from: the app's middleware and endpoints.</summary>
public sealed record GatewayHttpSetup(Action<IApplicationBuilder> Middleware, Action<IEndpointRouteBuilder> Endpoints);
