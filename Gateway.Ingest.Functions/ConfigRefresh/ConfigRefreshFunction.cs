using Gateway.Domain.Config;
using Gateway.Domain.Hosting;
using Gateway.Domain.Keys;
using Gateway.Domain.Usage.Spend;

namespace Gateway.Ingest.Functions.ConfigRefresh;

/// <summary>
/// The <c>config-refresh</c> timer function: expires keys past their ttl, rebuilds the Redis config
/// cache and the spend counters from PostgreSQL.
/// Triggered by the Functions host's timer (<c>Functions/ConfigRefreshTimerFunction</c>) or, in local
/// mode, by <see cref="ConfigRefreshTimerService"/>; both call <see cref="RunAsync"/>.
/// </summary>
internal static class ConfigRefreshFunction
{
    public const string Name = "config-refresh";

    /// <summary>The timer's schedule, an app setting the host resolves (<c>%name%</c>).</summary>
    public const string ScheduleExpression = "%" + ConfigRefreshOptions.ScheduleSetting + "%";

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

    public static IHostApplicationBuilder AddConfigRefresh(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ConfigRefreshOptions>()
            .Bind(builder.Configuration.GetSection("ConfigRefresh"))
            .Configure(o => o.Schedule = builder.Configuration[ConfigRefreshOptions.ScheduleSetting] ?? o.Schedule)
            .ValidateOnStart();
        builder.Services.AddSettingsValidator("ConfigRefresh", new ConfigRefreshOptionsValidator(), new Dictionary<string, string> { ["Schedule"] = ConfigRefreshOptions.ScheduleSetting });
        builder.Services.AddSingleton<ConfigRefreshTimerService>();
        builder.Services.AddScoped<KeyExpirer>();
        builder.Services.AddSingleton(new LocalTrigger(Name, "timerTrigger", new Dictionary<string, string> { ["schedule"] = ScheduleExpression }));

        // Under the Functions host the timer trigger calls us; in local mode we are our own timer.
        if (!builder.IsUnderFunctionsHost())
        {
            builder.Services.AddHostedService(sp => sp.GetRequiredService<ConfigRefreshTimerService>());
        }

        return builder;
    }
}
