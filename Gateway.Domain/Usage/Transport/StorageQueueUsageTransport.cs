using Azure;
using Gateway.Domain.Usage.Publishing;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// Sends usage events to the Storage queue, one message each (Storage queues have no batch send),
/// a few at a time. Messages never expire: an ingest outage longer than the default 7-day TTL must
/// not lose spend.
/// </summary>
public sealed class StorageQueueUsageTransport(UsageQueueClients clients, UsageClaimCheckStore claims) : IUsageEventTransport
{
    // -1 seconds is "never expires" in the Put Message API (x-ms-version 2017-07-29 and later).
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    // Enough parallel requests to keep a batch of 100 well under the publisher's linger-bound latency.
    private const int Parallelism = 16;

    public async Task SendBatchAsync(IReadOnlyList<UsageEventMessage> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            await clients.EnsureQueueAsync(cancellationToken);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(batch, parallel, async (message, token) =>
            {
                var body = await claims.EncodeForQueueAsync(message, UsageMessageCodec.StorageQueueMaxBodyBytes, token);
                await clients.Queue.SendMessageAsync(BinaryData.FromBytes(body), visibilityTimeout: null, timeToLive: NeverExpires, token);
            });
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            clients.OnNotFound(ex); // the publisher's retry creates the queue again
            throw;
        }
    }
}
