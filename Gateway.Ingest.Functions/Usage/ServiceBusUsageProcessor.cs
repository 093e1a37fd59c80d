using Azure.Messaging.ServiceBus;
using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Options;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// Consumes the Service Bus usage queue with a <see cref="ServiceBusProcessor"/> (peek-lock,
/// <see cref="UsageConsumerOptions.Concurrency"/> messages at once, locks renewed while a message is
/// processed) in both entry modes, with the handler the Storage queue function calls
/// (<see cref="UsageIngestor"/>). Settles each message itself:
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Ingested (good events stored and charged; undecodable elements sent to the Storage poison
/// queue by <see cref="UsagePoisonStore"/>): completed.</item>
/// <item>Unreadable as a whole: dead-lettered at once with the reason (<see cref="UnreadableReason"/>
/// and the decoder's error as description); retrying would never fix it. Logged and counted.</item>
/// <item>PostgreSQL, Redis or Storage failing: retried in process with backoff while the processor
/// renews the lock, for up to <see cref="TransientRetryBudget"/> (an outage then burns no delivery);
/// then abandoned, so the broker redelivers it (to any instance); MaxDeliveryCount (infra: 10) bounds
/// the deliveries, then the broker dead-letters it. Redelivery is idempotent.</item>
/// <item>Stopping mid-message: abandoned, for another instance to take at once. Dying: the lock
/// expires and the broker redelivers.</item>
/// <item>The queue unreachable: the processor retries by itself; errors are logged once per outage
/// (<see cref="ConsumerOutage"/>).</item>
/// </list>
/// </remarks>
internal sealed partial class ServiceBusUsageProcessor(
    UsageQueueClients clients,
    UsageIngestor ingestor,
    UsageIngestMetrics metrics,
    IOptions<UsageConsumerOptions> options,
    TimeProvider time,
    ILogger<ServiceBusUsageProcessor> logger) : IHostedService, IAsyncDisposable
{
    /// <summary>The dead-letter reason of a message that is not a usage batch.</summary>
    public const string UnreadableReason = "UsageMessageUnreadable";

    private ServiceBusProcessor? _processor;
    private ConsumerOutage? _outage;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _outage = new ConsumerOutage("service-bus", clients.QueueName, metrics, time, logger);
        _processor = clients.ServiceBus.CreateProcessor(clients.QueueName, new ServiceBusProcessorOptions
        {
            ReceiveMode = ServiceBusReceiveMode.PeekLock,
            AutoCompleteMessages = false,
            MaxConcurrentCalls = options.Value.Concurrency,
            PrefetchCount = options.Value.Concurrency,
            MaxAutoLockRenewalDuration = TimeSpan.FromMinutes(10),
        });
        _processor.ProcessMessageAsync += HandleAsync;
        _processor.ProcessErrorAsync += OnErrorAsync;
        LogStarted(logger, clients.QueueName, options.Value.Concurrency);
        await _processor.StartProcessingAsync(cancellationToken);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_processor is not null)
        {
            await _processor.StopProcessingAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_processor is not null)
        {
            await _processor.DisposeAsync();
        }
    }

    /// <summary>
    /// How long a transient failure is retried in process (the processor renews the lock meanwhile)
    /// before the message is abandoned: a PostgreSQL or Redis outage shorter than this burns no
    /// delivery, so it cannot dead-letter good messages.
    /// </summary>
    internal TimeSpan TransientRetryBudget { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>One message: ingest, then complete, dead-letter or abandon it (see the remarks).</summary>
    internal async Task HandleAsync(ProcessMessageEventArgs args)
    {
        var message = args.Message;
        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            UsageBatchResult result;
            try
            {
                result = await ingestor.IngestAsync(message.Body.ToMemory(), args.CancellationToken, message.MessageId);
            }
            catch (OperationCanceledException) when (args.CancellationToken.IsCancellationRequested)
            {
                await SettleAsync(message, static (a, m) => a.AbandonMessageAsync(m, cancellationToken: CancellationToken.None), args);
                return;
            }
#pragma warning disable CA1031 // Whatever failed (PostgreSQL, Redis, Storage), the message is retried.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var delay = ConsumerOutage.Backoff(attempt);
                if (time.GetElapsedTime(started) + delay > TransientRetryBudget || !await DelayAsync(delay, args.CancellationToken))
                {
                    LogAbandoned(logger, message.MessageId, message.DeliveryCount, attempt, ex);
                    await SettleAsync(message, static (a, m) => a.AbandonMessageAsync(m, cancellationToken: CancellationToken.None), args);
                    return;
                }

                LogTransient(logger, message.MessageId, attempt, delay, ex);
                continue;
            }

            if (result.IsDone)
            {
                await SettleAsync(message, static (a, m) => a.CompleteMessageAsync(m, CancellationToken.None), args);
                return;
            }

            metrics.Poisoned("message");
            LogUnreadable(logger, message.MessageId, message.DeliveryCount, result.Error!);
            await SettleAsync(message, (a, m) => a.DeadLetterMessageAsync(m, UnreadableReason, Truncate(result.Error!), CancellationToken.None), args);
            return;
        }
    }

    private async Task<bool> DelayAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(delay, time, cancellationToken);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private Task OnErrorAsync(ProcessErrorEventArgs args)
    {
        if (args.ErrorSource is ServiceBusErrorSource.Receive or ServiceBusErrorSource.AcceptSession)
        {
            _ = _outage?.Failed(args.Exception);
        }
        else
        {
            LogProcessorError(logger, args.ErrorSource.ToString(), args.Exception);
        }

        return Task.CompletedTask;
    }

    private async Task SettleAsync(ServiceBusReceivedMessage message, Func<ProcessMessageEventArgs, ServiceBusReceivedMessage, Task> settle, ProcessMessageEventArgs args)
    {
        try
        {
            await settle(args, message);
            _outage?.Succeeded();
        }
        catch (Exception ex) when (ex is ServiceBusException or TimeoutException or OperationCanceledException)
        {
            // The lock expires and the broker redelivers; processing it again is idempotent.
            LogSettleFailed(logger, message.MessageId, ex);
        }
    }

    // Service Bus limits the dead-letter description; the full error is in the log.
    private static string Truncate(string text) => text.Length <= 1024 ? text : text[..1024];

    [LoggerMessage(3210, LogLevel.Information, "Consuming usage events from Service Bus queue {Queue} with {Concurrency} concurrent calls")]
    private static partial void LogStarted(ILogger logger, string queue, int concurrency);

    [LoggerMessage(3212, LogLevel.Warning, "Usage message {MessageId} failed transiently (attempt {Attempt}); retrying in {Delay} under a renewed lock")]
    private static partial void LogTransient(ILogger logger, string messageId, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(3216, LogLevel.Warning, "Usage message {MessageId} (delivery {DeliveryCount}) still failing after {Attempts} attempts; abandoned for redelivery")]
    private static partial void LogAbandoned(ILogger logger, string messageId, int deliveryCount, int attempts, Exception exception);

    [LoggerMessage(3213, LogLevel.Error, "Usage message {MessageId} (delivery {DeliveryCount}) cannot be read; dead-lettered: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string messageId, int deliveryCount, string reason);

    [LoggerMessage(3214, LogLevel.Warning, "Could not settle usage message {MessageId}; the broker will redeliver it")]
    private static partial void LogSettleFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(3215, LogLevel.Warning, "Service Bus processor error ({Source})")]
    private static partial void LogProcessorError(ILogger logger, string source, Exception exception);
}
