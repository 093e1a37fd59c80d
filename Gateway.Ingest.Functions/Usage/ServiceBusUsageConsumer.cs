using Azure;
using Gateway.Domain.Queues.ServiceBus;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Options;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// Standalone stand-in for the <c>usage_service_bus</c> trigger: <see cref="UsageConsumerOptions.Concurrency"/>
/// receive loops over the Service Bus REST API (Peek-Lock, then Delete Message to complete or
/// Unlock Message to abandon).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Ingested (good events stored and charged; undecodable elements sent to the Storage poison
/// queue by <see cref="UsagePoisonStore"/>, since the REST API cannot dead-letter part of a message): completed.</item>
/// <item>Unreadable as a whole: abandoned; the broker dead-letters it after the queue's MaxDeliveryCount
/// (the REST API has no dead-letter operation), like the trigger. Logged as an error and counted.</item>
/// <item>PostgreSQL or Redis failing: retried here with backoff while the lock is renewed, so an outage
/// does not burn deliveries and dead-letter good messages.</item>
/// <item>The queue unreachable: receives are retried with backoff for as long as it takes
/// (<see cref="ConsumerOutage"/>); the consumer never stops the host.</item>
/// <item>Stopping: abandoned, for another instance to take at once. Dying: the lock expires (30 s in
/// <c>infra/</c>; renewed every 10 s while a message is processed) and the broker redelivers; the
/// redelivery is idempotent.</item>
/// </list>
/// </remarks>
internal sealed partial class ServiceBusUsageConsumer(
    UsageQueueClients clients,
    UsageIngestor ingestor,
    UsageIngestMetrics metrics,
    IOptions<UsageConsumerOptions> options,
    TimeProvider time,
    ILogger<ServiceBusUsageConsumer> logger) : BackgroundService
{
    /// <summary>How often a held message's lock is renewed: a third of the 30-second lock the infrastructure sets.</summary>
    public static readonly TimeSpan LockRenewInterval = TimeSpan.FromSeconds(10);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger, clients.QueueName, options.Value.Concurrency);
        var outage = new ConsumerOutage("service-bus", clients.QueueName, metrics, time, logger);
        return Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => ReceiveLoopAsync(outage, stoppingToken)));
    }

    private async Task ReceiveLoopAsync(ConsumerOutage outage, CancellationToken stoppingToken)
    {
        await Task.Yield();
        while (!stoppingToken.IsCancellationRequested)
        {
            ServiceBusRestReceivedMessage? message;
            try
            {
                message = await clients.ServiceBus.ReceiveAsync(options.Value.ReceiveWait, stoppingToken);
                outage.Succeeded();
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Whatever receiving threw, retry: never stop the host.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (!await DelayAsync(outage.Failed(ex), stoppingToken))
                {
                    break;
                }

                continue;
            }

            if (message is not null)
            {
                await ProcessAsync(message, stoppingToken);
            }
        }
    }

    private async Task ProcessAsync(ServiceBusRestReceivedMessage message, CancellationToken stoppingToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            UsageBatchResult result;
            try
            {
                using var renewing = new CancellationTokenSource();
                var renewal = KeepLockAsync(message, renewing.Token);
                try
                {
                    result = await ingestor.IngestAsync(message.Body, stoppingToken, message.MessageId);
                }
                finally
                {
                    await renewing.CancelAsync();
                    await renewal;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await SettleAsync(message, complete: false);
                return;
            }
#pragma warning disable CA1031 // Whatever failed (PostgreSQL, Redis, Storage), the message is retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = Backoff(attempt);
                LogTransient(logger, message.MessageId, attempt, delay, ex);
                if (!await DelayAsync(delay, stoppingToken))
                {
                    await SettleAsync(message, complete: false);
                    return;
                }

                if (!await RenewAsync(message))
                {
                    return; // The lock is lost: the broker redelivers it, to us or another instance.
                }

                continue;
            }

            if (!result.IsDone)
            {
                metrics.Poisoned("message");
                LogMalformed(logger, message.MessageId, message.DeliveryCount, result.Error!);
            }

            await SettleAsync(message, complete: result.IsDone);
            return;
        }
    }

    private async Task SettleAsync(ServiceBusRestReceivedMessage message, bool complete)
    {
        try
        {
            if (complete)
            {
                await clients.ServiceBus.CompleteAsync(message, CancellationToken.None);
            }
            else
            {
                await clients.ServiceBus.AbandonAsync(message, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            // The lock expires and the broker redelivers; processing it again is idempotent.
            LogSettleFailed(logger, message.MessageId, ex);
        }
    }

    // Renews the lock while the message is processed, so a short lock holds however long a batch takes.
    private async Task KeepLockAsync(ServiceBusRestReceivedMessage message, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(LockRenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stop) && await RenewAsync(message))
            {
            }
        }
        catch (OperationCanceledException)
        {
            // Processing ended.
        }
    }

    private async Task<bool> RenewAsync(ServiceBusRestReceivedMessage message)
    {
        try
        {
            await clients.ServiceBus.RenewLockAsync(message, CancellationToken.None);
            return true;
        }
        catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
        {
            LogSettleFailed(logger, message.MessageId, ex);
            return false;
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, time, stoppingToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    // Capped well below the queue's 30-second lock, which is renewed between attempts.
    private static TimeSpan Backoff(int attempt) => ConsumerOutage.Backoff(attempt);

    [LoggerMessage(3210, LogLevel.Information, "Consuming usage events from Service Bus queue {Queue} with {Receivers} receivers")]
    private static partial void LogStarted(ILogger logger, string queue, int receivers);

    [LoggerMessage(3212, LogLevel.Warning, "Usage message {MessageId} failed transiently (attempt {Attempt}); retrying in {Delay} under a renewed lock")]
    private static partial void LogTransient(ILogger logger, string messageId, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(3213, LogLevel.Error, "Usage message {MessageId} (delivery {DeliveryCount}) cannot be read; abandoned, dead-lettered at the queue's MaxDeliveryCount: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string messageId, int deliveryCount, string reason);

    [LoggerMessage(3214, LogLevel.Warning, "Could not settle or renew usage message {MessageId}; the broker will redeliver it")]
    private static partial void LogSettleFailed(ILogger logger, string messageId, Exception exception);
}
