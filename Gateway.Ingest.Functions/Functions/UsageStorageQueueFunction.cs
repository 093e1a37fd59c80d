using Gateway.Domain.Usage.Ingest;
using Gateway.Domain.Usage.Transport;
using Gateway.Ingest.Functions.Usage;
using Microsoft.Azure.Functions.Worker;

namespace Gateway.Ingest.Functions.Functions;

/// <summary>
/// <c>usage_storage_queue</c>: one Storage queue message (a batch of usage events) into the ledger and
/// the spend counters, with the handler local mode's <see cref="StorageQueueUsageConsumer"/> calls.
/// </summary>
/// <remarks>
/// A batch's undecodable elements go to the poison queue with their reason and the rest is ingested
/// (<see cref="UsageIngestor"/>). A message that cannot be read at all, and any PostgreSQL or Redis
/// failure, throws: the host makes it visible again and, after host.json's <c>maxDequeueCount</c>,
/// moves it to <c>{queue}-poison</c>. Every step is idempotent on the event id, so a retry is safe.
/// </remarks>
internal sealed class UsageStorageQueueFunction(UsageIngestor ingestor, UsageIngestMetrics metrics)
{
    [Function(UsageQueueFunctions.StorageQueueFunction)]
    public async Task RunAsync(
        [QueueTrigger(UsageQueueFunctions.QueueNameExpression, Connection = UsageTransportOptions.StorageSetting)] byte[] message,
        CancellationToken cancellationToken)
    {
        var result = await ingestor.IngestAsync(message, cancellationToken);
        if (!result.IsDone)
        {
            metrics.Poisoned("message");
            throw new InvalidDataException($"Usage message cannot be read: {result.Error}");
        }
    }
}
