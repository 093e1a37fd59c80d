using Azure.Storage.Queues.Models;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Options;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// Standalone stand-in for the <c>usage_storage_queue</c> trigger: receives batches from the Storage
/// queue and ingests up to <see cref="UsageConsumerOptions.Concurrency"/> messages at once.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Stored (or a duplicate): the message is deleted.</item>
/// <item>Malformed: it becomes visible again shortly, and on its <c>MaxDequeueCount</c>-th delivery
/// it moves to <c>{queue}-poison</c> with the reason, as the trigger does.</item>
/// <item>PostgreSQL, Redis or Storage failing: it becomes visible again after a backoff and is
/// retried, never poisoned: the message is fine, the outage ends.</item>
/// <item>The process dying (or stopping) mid-message: nothing is settled; the message reappears after
/// the visibility timeout and its redelivery is idempotent.</item>
/// </list>
/// </remarks>
internal sealed partial class StorageQueueUsageConsumer(
    UsageQueueClients clients,
    UsageIngestor ingestor,
    IOptions<UsageConsumerOptions> options,
    TimeProvider time,
    ILogger<StorageQueueUsageConsumer> logger) : BackgroundService
{
    // Receive Messages returns 32 at most.
    private const int MaxReceiveBatch = 32;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        using var slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
        var inFlight = new List<Task>();
        var failures = 0;
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
                failures = 0;
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
            catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or IOException or TimeoutException or OperationCanceledException)
            {
                if (taken > 0)
                {
                    slots.Release(taken);
                }

                if (ex is Azure.RequestFailedException notFound)
                {
                    clients.OnNotFound(notFound);
                }

                var delay = Backoff(++failures);
                LogReceiveFailed(logger, clients.QueueName, delay, ex);
                try
                {
                    await Task.Delay(delay, time, stoppingToken);
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
        UsageIngestResult result;
        try
        {
            result = await ingestor.IngestAsync(message.Body.ToMemory(), stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // Whatever failed (PostgreSQL, Redis, Storage), the message is retried later.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var delay = Backoff((int)Math.Min(message.DequeueCount, 10));
            LogTransient(logger, message.MessageId, message.DequeueCount, delay, ex);
            await ReleaseAsync(message, delay);
            return;
        }

        try
        {
            if (result.IsDone)
            {
                await clients.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None);
            }
            else if (message.DequeueCount >= options.Value.MaxDequeueCount)
            {
                await clients.PoisonAsync(message, message.Body.ToString(), result.Reason!, CancellationToken.None);
                LogPoisoned(logger, message.MessageId, result.EventId ?? "(unknown)", clients.PoisonQueueName, result.Reason!);
            }
            else
            {
                await ReleaseAsync(message, TimeSpan.FromSeconds(message.DequeueCount));
            }
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or IOException or TimeoutException)
        {
            // Not settled: the message reappears after its visibility timeout and is retried (idempotently).
            LogSettleFailed(logger, message.MessageId, ex);
        }
    }

    // Makes the message visible again after the delay (a retry sooner than the visibility timeout).
    private async Task ReleaseAsync(QueueMessage message, TimeSpan delay)
    {
        try
        {
            await clients.Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: delay, cancellationToken: CancellationToken.None);
        }
        catch (Exception ex) when (ex is Azure.RequestFailedException or HttpRequestException or IOException or TimeoutException)
        {
            LogSettleFailed(logger, message.MessageId, ex);
        }
    }

    private static TimeSpan Backoff(int attempt) => TimeSpan.FromSeconds(Math.Min(60, Math.Pow(2, Math.Clamp(attempt, 1, 10) - 1)));

    [LoggerMessage(3200, LogLevel.Information, "Consuming usage events from Storage queue {Queue}, {Concurrency} at a time")]
    private static partial void LogStarted(ILogger logger, string queue, int concurrency);

    [LoggerMessage(3201, LogLevel.Warning, "Receiving from usage queue {Queue} failed; retrying in {Delay}")]
    private static partial void LogReceiveFailed(ILogger logger, string queue, TimeSpan delay, Exception exception);

    [LoggerMessage(3202, LogLevel.Warning, "Usage message {MessageId} (delivery {DequeueCount}) failed transiently; retrying in {Delay}")]
    private static partial void LogTransient(ILogger logger, string messageId, long dequeueCount, TimeSpan delay, Exception exception);

    [LoggerMessage(3203, LogLevel.Error, "Usage message {MessageId} (event {EventId}) moved to {PoisonQueue}: {Reason}")]
    private static partial void LogPoisoned(ILogger logger, string messageId, string eventId, string poisonQueue, string reason);

    [LoggerMessage(3204, LogLevel.Warning, "Could not settle usage message {MessageId}; it will be redelivered after its visibility timeout")]
    private static partial void LogSettleFailed(ILogger logger, string messageId, Exception exception);
}
