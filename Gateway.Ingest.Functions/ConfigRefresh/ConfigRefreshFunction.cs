using System.Text.Json;
using Gateway.Domain.Config;
using Gateway.Domain.Hosting;

namespace Gateway.Ingest.Functions.ConfigRefresh;

/// <summary>
/// The <c>config-refresh</c> timer function: rebuilds the Redis config cache from PostgreSQL.
/// Triggered by the Functions host (<c>POST /config-refresh</c>) or, standalone, by
/// <see cref="ConfigRefreshTimerService"/>; both call <see cref="RunAsync"/>.
/// </summary>
internal static class ConfigRefreshFunction
{
    public const string Name = "config-refresh";

    public static async Task<long> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<ConfigCacheRefresher>().RefreshAsync(cancellationToken);
    }

    public static WebApplicationBuilder AddConfigRefresh(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConfigRefreshOptions>()
            .Bind(builder.Configuration.GetSection("ConfigRefresh"))
            .Configure(o => o.Schedule = builder.Configuration[ConfigRefreshOptions.ScheduleSetting] ?? o.Schedule)
            .ValidateOnStart();
        builder.Services.AddSettingsValidator("ConfigRefresh", new ConfigRefreshOptionsValidator(), new Dictionary<string, string> { ["Schedule"] = ConfigRefreshOptions.ScheduleSetting });
        builder.Services.AddSingleton<ConfigRefreshTimerService>();

        // Under the Functions host the timer trigger calls us; standalone we are our own timer.
        if (Environment.GetEnvironmentVariable(GatewayHosting.CustomHandlerPortVariable) is null)
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ConfigRefreshTimerService>());
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapConfigRefresh(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapFunctionInvocation(Name, static async (_, services, cancellationToken) =>
        {
            var version = await RunAsync(services, cancellationToken);
            return JsonSerializer.SerializeToElement(version, IngestJsonContext.Default.Int64);
        });
        return endpoints;
    }
}
