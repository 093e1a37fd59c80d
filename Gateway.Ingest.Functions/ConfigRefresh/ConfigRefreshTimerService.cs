using Microsoft.Extensions.Options;
using NCrontab;
using StackExchange.Redis;

namespace Gateway.Ingest.Functions.ConfigRefresh;

/// <summary>Standalone stand-in for the timer trigger: runs the refresh on the same NCRONTAB schedule.</summary>
internal sealed partial class ConfigRefreshTimerService(
    IServiceProvider services,
    IOptions<ConfigRefreshOptions> options,
    TimeProvider time,
    ILogger<ConfigRefreshTimerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var schedule = CrontabSchedule.Parse(options.Value.Schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        if (options.Value.RunOnStartup)
        {
            await RunOnceAsync(stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow().UtcDateTime;
            var delay = schedule.GetNextOccurrence(now) - now;
            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }

            await RunOnceAsync(stoppingToken);
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await ConfigRefreshFunction.RunAsync(services, stoppingToken);
        }
        catch (Exception ex) when (ex is RedisException or Npgsql.NpgsqlException or TimeoutException)
        {
            // The next occurrence retries; the proxies keep their last good copy meanwhile.
            LogRefreshFailed(logger, ex);
        }
    }

    [LoggerMessage(3100, LogLevel.Warning, "Config refresh failed; retrying at the next scheduled time")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
