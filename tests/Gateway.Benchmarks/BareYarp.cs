using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.Benchmarks;

/// <summary>
/// The reference contender: a bare YARP reverse proxy (no auth, limits or events) mapping the
/// gateway's OpenAI path prefix onto the upstream, run as its own process (<c>--yarp port upstream</c>).
/// </summary>
internal static class BareYarp
{
    public const string Argument = "--yarp";

    public static async Task RunAsync(int port, string upstream)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddReverseProxy().LoadFromMemory(
            [
                new RouteConfig
                {
                    RouteId = "openai",
                    ClusterId = "upstream",
                    Match = new RouteMatch { Path = "/api/providers/openai/{**rest}" },
                    Transforms = [new Dictionary<string, string> { ["PathRemovePrefix"] = "/api/providers/openai" }],
                },
            ],
            [
                new ClusterConfig
                {
                    ClusterId = "upstream",
                    Destinations = new Dictionary<string, DestinationConfig> { ["fake"] = new() { Address = upstream } },
                },
            ]);
        var app = builder.Build();
        app.MapGet("/api/health", static () => "ok");
        app.MapReverseProxy();
        await app.RunAsync();
    }
}
