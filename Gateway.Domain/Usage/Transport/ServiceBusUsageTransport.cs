using Azure;
using Gateway.Domain.Queues.ServiceBus;
using Gateway.Domain.Usage.Publishing;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// Sends usage events to the Service Bus queue as <see cref="UsageBatchEnvelope"/> messages of up to
/// <see cref="UsageMessageCodec.ServiceBusMaxBodyBytes"/> bytes of JSON each, all in Send Message
/// Batch requests (split by the client to stay within 256 KiB per request). Each message's MessageId
/// is its batch id, so the queue's duplicate detection, when enabled, drops the copies a retried
/// send makes; ingest is idempotent per event id either way.
/// </summary>
public sealed class ServiceBusUsageTransport(UsageQueueClients clients, UsageBatchEncoder encoder) : IUsageEventTransport
{
    public async Task SendBatchAsync(IReadOnlyList<UsageEventMessage> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        IReadOnlyList<UsageQueueBatch> encoded;
        try
        {
            encoded = await encoder.EncodeAsync(batch, UsageMessageCodec.ServiceBusMaxBodyBytes, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            clients.OnNotFound(ex); // the claim container was deleted: the retry creates it again
            throw;
        }

        var messages = encoded.Select(static m => new ServiceBusRestMessage(m.Body) { MessageId = m.BatchId, ContentType = "application/json" });
        await clients.ServiceBus.SendBatchAsync(messages, cancellationToken);
    }
}
