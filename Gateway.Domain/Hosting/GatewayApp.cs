using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Gateway.Domain.Hosting;

/// <summary>
/// The two entry modes of an app, sharing everything but these few lines:
/// <list type="bullet">
/// <item>under the Functions host, an isolated worker (<see cref="FunctionsApplication"/> with the
/// ASP.NET Core integration): the app's <c>[Function]</c> classes are invoked by the host, and HTTP
/// functions hand their request to <see cref="GatewayHttpApp"/>;</item>
/// <item>otherwise, local mode: a plain ASP.NET Core program on its port that sends every request
/// to the same <see cref="GatewayHttpApp"/>, with hosted services standing in for the other triggers.</item>
/// </list>
/// Services are registered on <see cref="IHostApplicationBuilder"/>, which both builders are.
/// </summary>
public static class GatewayApp
{
    /// <summary>The builder of the mode this process runs in (<see cref="GatewayHostMode"/>).</summary>
    public static IHostApplicationBuilder CreateBuilder(string[] args, string app, int defaultPort)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (GatewayHostMode.IsFunctionsHost(args))
        {
            var functions = FunctionsApplication.CreateBuilder(args);
            functions.ConfigureFunctionsWebApplication();
            functions.ConfigureGatewayHost(app, defaultPort, underFunctionsHost: true);
            functions.AddWorkerTelemetry();
            return functions;
        }

        return WebApplication.CreateSlimBuilder(args).ConfigureGatewayHost(app, defaultPort, underFunctionsHost: false);
    }

    /// <summary>
    /// Builds the app with its HTTP side (<paramref name="middleware"/> after routing, then
    /// <paramref name="endpoints"/>), which is built at once so that a wrong setting fails the start.
    /// </summary>
    public static IHost BuildGatewayApp(this IHostApplicationBuilder builder, Action<IApplicationBuilder> middleware, Action<IEndpointRouteBuilder> endpoints)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(new GatewayHttpSetup(middleware, endpoints));
        builder.Services.AddSingleton<GatewayHttpApp>();
        switch (builder)
        {
            case WebApplicationBuilder web:
                var local = web.Build();
                var http = local.Services.GetRequiredService<GatewayHttpApp>();
                ((IApplicationBuilder)local).Run(http.InvokeAsync);
                return local;
            case FunctionsApplicationBuilder functions:
                var worker = functions.Build();
                _ = worker.Services.GetRequiredService<GatewayHttpApp>();
                return worker;
            default:
                throw new ArgumentException($"Unsupported builder {builder.GetType().Name}; use {nameof(CreateBuilder)}.", nameof(builder));
        }
    }
}
