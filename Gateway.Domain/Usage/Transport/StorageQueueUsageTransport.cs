using Azure;
using Gateway.Domain.Usage.Publishing;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// Sends usage events to the Storage queue as <see cref="UsageBatchEnvelope"/> messages, a few at a
/// time: gzip of the JSON in up to <see cref="UsageMessageCodec.StorageQueueMaxCompressedBodyBytes"/>
/// bytes (several hundred events per Put Message), or with <c>UsageTransport__Compression=none</c> the
/// JSON itself in up to <see cref="UsageMessageCodec.StorageQueueMaxBodyBytes"/> (tens of events). Messages never expire: an ingest outage longer
/// than the default 7-day TTL must not lose spend.
/// </summary>
public sealed class StorageQueueUsageTransport(UsageQueueClients clients, UsageBatchEncoder encoder) : IUsageEventTransport
{
    // -1 seconds is "never expires" in the Put Message API (x-ms-version 2017-07-29 and later).
    private static readonly TimeSpan NeverExpires = TimeSpan.FromSeconds(-1);

    // Storage queues have no batch send: a flush of a few thousand events is a few dozen messages.
    private const int Parallelism = 8;

    public async Task SendBatchAsync(IReadOnlyList<UsageEventMessage> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        try
        {
            await clients.EnsureQueueAsync(cancellationToken);
            var budget = encoder.Compression == UsageCompression.Gzip ? UsageMessageCodec.StorageQueueMaxCompressedBodyBytes : UsageMessageCodec.StorageQueueMaxBodyBytes;
            var messages = await encoder.EncodeAsync(batch, budget, cancellationToken);
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken };
            await Parallel.ForEachAsync(messages, parallel, async (message, token)
                => await clients.Queue.SendMessageAsync(BinaryData.FromBytes(message.Body), visibilityTimeout: null, timeToLive: NeverExpires, token));
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            clients.OnNotFound(ex); // the publisher's retry creates the queue again
            throw;
        }
    }
}
