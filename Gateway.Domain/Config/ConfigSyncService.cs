using System.Text.Json;
using System.Threading.Channels;
using Gateway.Domain.Json;
using Gateway.Domain.Redis;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Gateway.Domain.Config;

/// <summary>
/// Keeps the proxy's <see cref="ConfigSnapshotHolder"/> in step with the Redis config cache:
/// loads it before the app serves, reloads on every invalidation message, and compares versions
/// every <see cref="ConfigCacheOptions.VersionCheckInterval"/> to catch a missed message.
/// </summary>
public sealed class ConfigSyncService(
    ConfigCacheReader reader,
    RedisConnection redis,
    ConfigSnapshotHolder holder,
    IOptions<ConfigCacheOptions> options,
    TimeProvider time,
    ILogger<ConfigSyncService> logger) : BackgroundService
{
    // Capacity 1, drop when full: any number of invalidations during a reload coalesce into one more reload.
    private readonly Channel<bool> _reloadRequests = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private bool _subscribed;

    // A first load that fails at once is tried again, this far apart, for this long before the proxy
    // starts without its config. With BacklogPolicy.FailFast a command fails at once while one of
    // the multiplexer's connections is still being made (the subscription's can trail the
    // interactive one), so a single attempt could leave a starting proxy with no keys until the next
    // version check, though Redis was up.
    private static readonly TimeSpan StartupRetryDelay = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan StartupRetryWindow = TimeSpan.FromSeconds(2);
    private const int StartupMaxAttempts = 10; // also bounds the retries under a clock that does not move

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Serve with the real config from the first request; but a Redis outage at startup must not
        // keep the proxy down: after the wait, loading goes on in the background.
        // The window starts at the first failure, not before the first connect: a connect that is slow
        // on a loaded host and then fails at once still gets its retries.
        long? firstFailure = null;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TrySubscribeAsync();
                await ReloadAsync().WaitAsync(TimeSpan.FromSeconds(10), time, cancellationToken);
                break;
            }
            catch (RedisException ex) when (attempt < StartupMaxAttempts && time.GetElapsedTime(firstFailure ??= time.GetTimestamp()) + StartupRetryDelay < StartupRetryWindow)
            {
                ConfigLog.StartupLoadRetried(logger, attempt, ex.Message);
                await Task.Delay(StartupRetryDelay, time, cancellationToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                ConfigLog.LoadFailed(logger, holder.Current.Version, ex);
                break;
            }
        }

        await base.StartAsync(cancellationToken);
    }

    /// <summary>Reads the whole cache and installs it; returns the installed version.</summary>
    public async Task<long> ReloadAsync()
    {
        var (stamp, data) = await reader.ReadAsync();
        if (stamp.Generation is null)
        {
            ConfigLog.CacheEmpty(logger);
        }

        if (holder.Apply(stamp, data))
        {
            var current = holder.Current;
            ConfigLog.Loaded(logger, current.Version, current.Data.Keys.Count, current.Data.ProviderSettings.Count, current.Data.CustomProviders.Count, current.Data.Routes.Count, current.Data.Users.Count);
        }

        return holder.Current.Version;
    }

    /// <summary>Asks for a reload soon (coalesced with any pending one): the copy is known to be behind.</summary>
    public void RequestReload() => _reloadRequests.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var requested = await WaitForReloadRequestAsync(stoppingToken);
            if (stoppingToken.IsCancellationRequested)
            {
                break;
            }

            try
            {
                await TrySubscribeAsync();
                if (requested || ConfigSnapshotHolder.IsNewer(await reader.GetStampAsync(), holder.Current.Stamp))
                {
                    await ReloadAsync();
                }
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                ConfigLog.LoadFailed(logger, holder.Current.Version, ex);
            }
        }
    }

    private async Task<bool> WaitForReloadRequestAsync(CancellationToken stoppingToken)
    {
        using var timeout = new CancellationTokenSource(options.Value.VersionCheckInterval, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken, timeout.Token);
        try
        {
            await _reloadRequests.Reader.ReadAsync(linked.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task TrySubscribeAsync()
    {
        if (_subscribed)
        {
            return;
        }

        // StackExchange.Redis re-establishes subscriptions itself after a reconnect.
        var subscriber = await redis.GetSubscriberAsync();
        await subscriber.SubscribeAsync(redis.Channel(ConfigCacheLayout.Channel), (_, message) => OnInvalidation(message));
        _subscribed = true;
    }

    private void OnInvalidation(RedisValue message)
    {
        ConfigInvalidation? invalidation = null;
        try
        {
            invalidation = JsonSerializer.Deserialize((string?)message ?? string.Empty, DomainJsonContext.Default.ConfigInvalidation);
        }
        catch (JsonException)
        {
            ConfigLog.MalformedInvalidation(logger);
        }

        if (invalidation?.Generation is null || ConfigSnapshotHolder.IsNewer(new ConfigCacheStamp(invalidation.Version, invalidation.Generation), holder.Current.Stamp))
        {
            RequestReload();
        }
    }
}
