using System.Text.Json;
using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Keys;
using Gateway.Domain.Usage.Spend;

namespace Gateway.Ingest.Functions.ConfigRefresh;

/// <summary>
/// The <c>config-refresh</c> timer function: expires keys past their ttl, rebuilds the Redis config
/// cache and the spend counters from PostgreSQL.
/// Triggered by the Functions host (<c>POST /config-refresh</c>) or, standalone, by
/// <see cref="ConfigRefreshTimerService"/>; both call <see cref="RunAsync"/>.
/// </summary>
internal static class ConfigRefreshFunction
{
    public const string Name = "config-refresh";

    /// <summary>
    /// Revokes keys past their ttl, rebuilds the config cache (which carries the revocations to the
    /// proxies), then rebuilds the spend counters from the ledger. Returns the config cache version.
    /// </summary>
    public static async Task<long> RunAsync(IServiceProvider services, CancellationToken cancellationToken)
    {
        await using var scope = services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KeyExpirer>().ExpireAsync(cancellationToken);
        var version = await scope.ServiceProvider.GetRequiredService<ConfigCacheRefresher>().RefreshAsync(cancellationToken);
        await scope.ServiceProvider.GetRequiredService<SpendCounterRebuilder>().RebuildAsync(cancellationToken);
        return version;
    }

    public static WebApplicationBuilder AddConfigRefresh(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConfigRefreshOptions>()
            .Bind(builder.Configuration.GetSection("ConfigRefresh"))
            .Configure(o => o.Schedule = builder.Configuration[ConfigRefreshOptions.ScheduleSetting] ?? o.Schedule)
            .ValidateOnStart();
        builder.Services.AddSettingsValidator("ConfigRefresh", new ConfigRefreshOptionsValidator(), new Dictionary<string, string> { ["Schedule"] = ConfigRefreshOptions.ScheduleSetting });
        builder.Services.AddSingleton<ConfigRefreshTimerService>();
        builder.Services.AddScoped<KeyExpirer>();

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
