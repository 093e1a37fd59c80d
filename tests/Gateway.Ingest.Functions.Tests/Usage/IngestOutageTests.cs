using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Gateway.Domain.Keys;
using Gateway.Domain.Limits;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

using Gateway.Ingest.Functions.Functions;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Ingest.Functions.Tests.Usage;

/// <summary>
/// Ingest under outages of its own private services (never the shared ones): Redis flushed mid-run,
/// Storage stopped for a minute under load.
/// </summary>
public sealed class IngestOutageTests : IAsyncLifetime
{
    private readonly IngestHost _host = new();

    public Task InitializeAsync() => _host.InitializeAsync();

    public Task DisposeAsync() => _host.DisposeAsync();

    [Fact]
    public async Task RedisFlushedMidRun_CountersComeBackToTheLedgersValuesWithinOneRefresh()
    {
        await using var redisServer = await RedisServerProcess.StartAsync();
        var settings = _host.Settings(consumer: true);
        settings["ConnectionStrings:Redis"] = redisServer.ConnectionString;
        // The refresh runs when the test says (below), not when the minute's timer fires mid-test.
        settings["ConfigRefreshSchedule"] = "0 0 0 1 1 *";
        var app = await _host.StartAsync(settings);
        var key = await AddLimitedKeyAsync();
        using var redis = await ConnectionMultiplexer.ConnectAsync(redisServer.ConnectionString + ",allowAdmin=true");

        var batches = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 25).Select(_ => (object)IngestHost.ChatEvent(key.KeyId)).ToArray()).ToList();
        foreach (var batch in batches.Take(20))
        {
            await _host.Queue.SendMessageAsync(BinaryData.FromBytes(IngestHost.Batch(batch)));
        }

        await Eventually.AssertAsync(() => _host.CountEventsAsync().Result >= 250, TimeSpan.FromSeconds(60), "ingest is under way");
        await redis.GetServer(redis.GetEndPoints()[0]).FlushAllDatabasesAsync(); // our own redis-server only
        foreach (var batch in batches.Skip(20))
        {
            await _host.Queue.SendMessageAsync(BinaryData.FromBytes(IngestHost.Batch(batch)));
        }

        await Eventually.AssertAsync(() => _host.CountEventsAsync().Result == 1000 && QueueLength() == 0, TimeSpan.FromSeconds(90), "every event is stored and every message settled");
        var ledger = await _host.LedgerNanoDollarsAsync(key.KeyId);
        Assert.Equal(1000 * IngestHost.ChatEventNanoDollars, ledger);
        var day = SpendCounterKeys.Window(SpendCounterKeys.Owner.Key, key.KeyId, LimitUnit.Day, LimitUnit.Day.Window(DateTimeOffset.UtcNow).Start);
        Assert.True(await CounterAsync(redis, SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, key.KeyId)) < ledger, "the flush lost the spend counted before it");

        // What the host's timer trigger invokes.
        await ActivatorUtilities.CreateInstance<ConfigRefreshTimerFunction>(app.Services).RunAsync(new TimerInfo(), CancellationToken.None);

        Assert.Equal(ledger, await CounterAsync(redis, SpendCounterKeys.Total(SpendCounterKeys.Owner.Key, key.KeyId)));
        Assert.Equal(ledger, await CounterAsync(redis, day));
    }

    [Fact]
    public async Task StorageStoppedForAMinuteUnderLoad_IngestKeepsRunningAndCatchesUpWithoutLoss()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        var settings = _host.Settings(consumer: true);
        settings["UsageQueueStorage"] = azurite.ConnectionString;
        var app = await _host.StartAsync(settings);
        var lifetime = app.Services.GetRequiredService<IHostApplicationLifetime>();
        var options = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64, Retry = { MaxRetries = 0, NetworkTimeout = TimeSpan.FromSeconds(2) } };
        var queue = new QueueClient(azurite.ConnectionString, _host.QueueName, options);
        await queue.CreateIfNotExistsAsync();

        // The load: a batch of 20 events every 50 ms; a send that fails is retried until Storage takes it.
        using var stopLoad = new CancellationTokenSource();
        var sent = 0;
        var load = Task.Run(async () =>
        {
            while (!stopLoad.IsCancellationRequested)
            {
                var batch = IngestHost.Batch([.. Enumerable.Range(0, 20).Select(_ => (object)IngestHost.ChatEvent("key-outage"))]);
                while (true)
                {
                    try
                    {
                        await queue.SendMessageAsync(BinaryData.FromBytes(batch));
                        Interlocked.Add(ref sent, 20);
                        break;
                    }
                    catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or TaskCanceledException or AggregateException)
                    {
                        await Task.Delay(200);
                    }
                }

                await Task.Delay(50);
            }
        });

        await Eventually.AssertAsync(() => _host.CountEventsAsync().Result >= 200, TimeSpan.FromSeconds(60), "ingest is under way");
        await azurite.StopAsync();
        await Task.Delay(TimeSpan.FromSeconds(60));
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the ingest host is still running after a minute without Storage");
        await azurite.StartAgainAsync();
        await Task.Delay(TimeSpan.FromSeconds(5));
        await stopLoad.CancelAsync();
        await load;

        await Eventually.AssertAsync(() => _host.CountEventsAsync().Result == sent, TimeSpan.FromSeconds(120), $"all {sent} events sent are stored");
        await Eventually.AssertAsync(() => queue.GetProperties().Value.ApproximateMessagesCount == 0, TimeSpan.FromSeconds(90), "every message is settled");
        Assert.Equal(sent, await _host.CountEventsAsync());
        Assert.Equal(sent * IngestHost.ChatEventNanoDollars, await _host.KeyTotalAsync("key-outage"));
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested);
    }

    private async Task<ApiKey> AddLimitedKeyAsync()
    {
        var (key, _) = TestData.NewKey("flushed");
        key.Limits.CostLimitInUsd = 1000;
        key.Limits.CostLimitInUsdOverTime = 1000;
        key.Limits.CostLimitInUsdUnit = "d";
        await using var db = _host.Database.CreateDbContext();
        db.Keys.Add(key);
        await db.SaveChangesAsync();
        return key;
    }

    private async Task<long> CounterAsync(ConnectionMultiplexer redis, string name)
    {
        var value = await redis.GetDatabase().StringGetAsync(_host.Redis.Key(name));
        return value.IsNull ? 0 : (long)value;
    }

    private int QueueLength() => _host.Queue.GetProperties().Value.ApproximateMessagesCount;
}
