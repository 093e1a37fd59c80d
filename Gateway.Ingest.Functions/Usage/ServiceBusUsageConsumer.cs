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
/// <item>Stored (or a duplicate): completed.</item>
/// <item>Malformed: abandoned; the broker dead-letters it after the queue's MaxDeliveryCount (the REST
/// API has no dead-letter operation), like the trigger.</item>
/// <item>PostgreSQL or Redis failing: retried here with backoff while the lock is renewed, so an outage
/// does not burn deliveries and dead-letter good messages.</item>
/// <item>Stopping: abandoned, for another instance to take at once. Dying: the lock expires and the
/// broker redelivers; the redelivery is idempotent.</item>
/// </list>
/// </remarks>
internal sealed partial class ServiceBusUsageConsumer(
    UsageQueueClients clients,
    UsageIngestor ingestor,
    IOptions<UsageConsumerOptions> options,
    TimeProvider time,
    ILogger<ServiceBusUsageConsumer> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogStarted(logger, clients.QueueName, options.Value.Concurrency);
        return Task.WhenAll(Enumerable.Range(0, options.Value.Concurrency).Select(_ => ReceiveLoopAsync(stoppingToken)));
    }

    private async Task ReceiveLoopAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            ServiceBusRestReceivedMessage? message;
            try
            {
                message = await clients.ServiceBus.ReceiveAsync(options.Value.ReceiveWait, stoppingToken);
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is RequestFailedException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
            {
                var delay = Backoff(++failures);
                LogReceiveFailed(logger, clients.QueueName, delay, ex);
                if (!await DelayAsync(delay, stoppingToken))
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
            UsageIngestResult result;
            try
            {
                result = await ingestor.IngestAsync(message.Body, stoppingToken);
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
                LogMalformed(logger, message.MessageId, message.DeliveryCount, result.Reason!);
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

    // Capped well below the queue's default 1-minute lock, which is renewed between attempts.
    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Clamp(attempt, 1, 10) - 1)));

    [LoggerMessage(3210, LogLevel.Information, "Consuming usage events from Service Bus queue {Queue} with {Receivers} receivers")]
    private static partial void LogStarted(ILogger logger, string queue, int receivers);

    [LoggerMessage(3211, LogLevel.Warning, "Receiving from Service Bus queue {Queue} failed; retrying in {Delay}")]
    private static partial void LogReceiveFailed(ILogger logger, string queue, TimeSpan delay, Exception exception);

    [LoggerMessage(3212, LogLevel.Warning, "Usage message {MessageId} failed transiently (attempt {Attempt}); retrying in {Delay} under a renewed lock")]
    private static partial void LogTransient(ILogger logger, string messageId, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(3213, LogLevel.Error, "Usage message {MessageId} (delivery {DeliveryCount}) is malformed; abandoned, dead-lettered at the queue's MaxDeliveryCount: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string messageId, int deliveryCount, string reason);

    [LoggerMessage(3214, LogLevel.Warning, "Could not settle or renew usage message {MessageId}; the broker will redeliver it")]
    private static partial void LogSettleFailed(ILogger logger, string messageId, Exception exception);
}
