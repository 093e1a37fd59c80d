using Azure.Storage.Queues.Models;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Options;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// Standalone stand-in for the <c>usage_storage_queue</c> trigger: receives up to 32 messages per
/// poll and ingests up to <see cref="UsageConsumerOptions.Concurrency"/> messages (batches) at once.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Ingested (good events stored and charged, undecodable elements poisoned): deleted.</item>
/// <item>Unreadable as a whole: visible again shortly, and on its <c>MaxDequeueCount</c>-th delivery
/// moved to <c>{queue}-poison</c> with the reason, as the trigger does; logged as an error and counted.</item>
/// <item>PostgreSQL, Redis or Storage failing: visible again after a backoff and retried, never
/// poisoned: the message is fine, the outage ends.</item>
/// <item>The queue unreachable: receives are retried with backoff for as long as it takes
/// (<see cref="ConsumerOutage"/>); the consumer never stops the host.</item>
/// <item>The process dying (or stopping) mid-message: nothing is settled; the message reappears after
/// the visibility timeout (30 s by default, extended while processing by <see cref="StorageMessageLease"/>)
/// and its redelivery is idempotent.</item>
/// </list>
/// </remarks>
internal sealed partial class StorageQueueUsageConsumer(
    UsageQueueClients clients,
    UsageIngestor ingestor,
    UsageIngestMetrics metrics,
    IOptions<UsageConsumerOptions> options,
    TimeProvider time,
    ILogger<StorageQueueUsageConsumer> logger) : BackgroundService
{
    // Receive Messages returns 32 at most.
    private const int MaxReceiveBatch = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var outage = new ConsumerOutage("storage-queue", clients.QueueName, metrics, time, logger);
        using var slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        var inFlight = new List<Task>();
        LogStarted(logger, clients.QueueName, settings.Concurrency);
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                // Receive as many as there are free slots (at least one, at most a batch).
                await slots.WaitAsync(stoppingToken);
                taken = 1;
                while (taken < MaxReceiveBatch && slots.Wait(0, CancellationToken.None))
                {
                    taken++;
                }

                await clients.EnsureQueueAsync(stoppingToken);
                QueueMessage[] messages = (await clients.Queue.ReceiveMessagesAsync(taken, settings.VisibilityTimeout, stoppingToken)).Value;
                outage.Succeeded();
                if (taken > messages.Length)
                {
                    slots.Release(taken - messages.Length);
                }

                taken = 0;
                inFlight.RemoveAll(static t => t.IsCompleted);
                foreach (var message in messages)
                {
                    inFlight.Add(RunAsync(message, slots, stoppingToken));
                }

                if (messages.Length == 0)
                {
                    await Task.Delay(settings.PollInterval, time, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Whatever the queue threw (the SDK's AggregateException after its retries, too), retry: never stop the host.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (taken > 0)
                {
                    slots.Release(taken);
                }

                if (ex is Azure.RequestFailedException notFound)
                {
                    clients.OnNotFound(notFound);
                }

                try
                {
                    await Task.Delay(outage.Failed(ex), time, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        // Stopping: messages in flight finish, or are left to reappear after their visibility timeout.
        await Task.WhenAll(inFlight);
    }

    private async Task RunAsync(QueueMessage message, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await ProcessAsync(message, stoppingToken);
        }
        finally
        {
            slots.Release();
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stoppingToken)
    {
        await Task.Yield();
        await using var lease = new StorageMessageLease(clients.Queue, message, options.Value.VisibilityTimeout, time, logger);
        UsageBatchResult result;
        try
        {
            result = await ingestor.IngestAsync(message.Body.ToMemory(), stoppingToken, message.MessageId);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Whatever failed (PostgreSQL, Redis, Storage), the message is retried later.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            await lease.StopAsync();
            var delay = ConsumerOutage.Backoff((int)Math.Min(message.DequeueCount, 16));
            LogTransient(logger, message.MessageId, message.DequeueCount, delay, ex);
            await ReleaseAsync(message, lease.PopReceipt, delay);
            return;
        }

        await lease.StopAsync();
        try
        {
            if (result.IsDone)
            {
                await clients.Queue.DeleteMessageAsync(message.MessageId, lease.PopReceipt, CancellationToken.None);
            }
            else if (message.DequeueCount >= options.Value.MaxDequeueCount)
            {
                await clients.PoisonAsync(Settled(message, lease.PopReceipt), message.Body.ToString(), result.Error!, CancellationToken.None);
                metrics.Poisoned("message");
                LogPoisoned(logger, message.MessageId, clients.PoisonQueueName, result.Error!);
            }
            else
            {
                await ReleaseAsync(message, lease.PopReceipt, TimeSpan.FromSeconds(message.DequeueCount));
            }
        }
#pragma warning disable CA1031 // Not settled: the message reappears after its visibility timeout and is retried (idempotently).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSettleFailed(logger, message.MessageId, ex);
        }
    }

    private static QueueMessage Settled(QueueMessage message, string popReceipt)
        => QueuesModelFactory.QueueMessage(message.MessageId, popReceipt, message.Body, message.DequeueCount, message.NextVisibleOn, message.InsertedOn, message.ExpiresOn);

    // Makes the message visible again after the delay (a retry sooner than the visibility timeout).
    private async Task ReleaseAsync(QueueMessage message, string popReceipt, TimeSpan delay)
    {
        try
        {
            await clients.Queue.UpdateMessageAsync(message.MessageId, popReceipt, visibilityTimeout: delay, cancellationToken: CancellationToken.None);
        }
#pragma warning disable CA1031 // Not released: it reappears after its visibility timeout instead.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogSettleFailed(logger, message.MessageId, ex);
        }
    }

    [LoggerMessage(3200, LogLevel.Information, "Consuming usage events from Storage queue {Queue}, {Concurrency} messages at a time")]
    private static partial void LogStarted(ILogger logger, string queue, int concurrency);

    [LoggerMessage(3202, LogLevel.Warning, "Usage message {MessageId} (delivery {DequeueCount}) failed transiently; retrying in {Delay}")]
    private static partial void LogTransient(ILogger logger, string messageId, long dequeueCount, TimeSpan delay, Exception exception);

    [LoggerMessage(3203, LogLevel.Error, "Usage message {MessageId} cannot be read and was moved to {PoisonQueue}: {Reason}")]
    private static partial void LogPoisoned(ILogger logger, string messageId, string poisonQueue, string reason);

    [LoggerMessage(3204, LogLevel.Warning, "Could not settle usage message {MessageId}; it will be redelivered after its visibility timeout")]
    private static partial void LogSettleFailed(ILogger logger, string messageId, Exception exception);
}
