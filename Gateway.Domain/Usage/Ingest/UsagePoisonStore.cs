using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// Where the elements of a batch that cannot be decoded go, with their reason, while the batch's
/// other events are ingested: the Storage queue <c>{queue}-poison</c> in the usage storage account.
/// Service Bus deployments use it too: the REST API cannot dead-letter part of a message, and the
/// account is there already for claim checks. Every poisoned element is logged as an error and
/// counted (<see cref="UsageIngestMetrics"/>): alarm on it.
/// </summary>
/// <remarks>
/// A consumer dying after poisoning and before settling the message poisons the element again on the
/// redelivery: a duplicate record (same <c>batchId</c>, <c>index</c>), never a lost one.
/// </remarks>
public sealed partial class UsagePoisonStore(UsageQueueClients clients, UsageIngestMetrics metrics, TimeProvider time, ILogger<UsagePoisonStore> logger)
{
    public async Task PoisonAsync(IReadOnlyList<RejectedUsageEvent> rejected, string? batchId, string? messageId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rejected);
        if (rejected.Count == 0)
        {
            return;
        }

        foreach (var element in rejected)
        {
            var poison = new UsagePoisonMessage
            {
                Reason = element.Reason,
                MessageId = messageId,
                BatchId = batchId,
                Index = element.Index,
                EventId = element.EventId,
                PoisonedOn = time.GetUtcNow(),
                Body = element.Json,
            };
            await clients.SendPoisonAsync(poison, cancellationToken);
            LogPoisoned(logger, element.EventId ?? "(unknown)", element.Index, batchId ?? "(single event)", clients.PoisonQueueName, element.Reason);
            metrics.Poisoned("event");
        }
    }

    [LoggerMessage(5220, LogLevel.Error, "Usage event {EventId} (element {Index} of batch {BatchId}) cannot be decoded and went to {PoisonQueue}; the batch's other events were ingested: {Reason}")]
    private static partial void LogPoisoned(ILogger logger, string eventId, int index, string batchId, string poisonQueue, string reason);
}
