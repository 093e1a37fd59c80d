using Azure;
using Gateway.Domain.Queues.ServiceBus;
using Gateway.Domain.Usage.Publishing;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// Sends usage events to the Service Bus queue with Send Message Batch (split by the client to stay
/// within 256 KiB per request). Each message's MessageId is its event id, so the queue's duplicate
/// detection, when enabled, drops the copies a retried send makes.
/// </summary>
public sealed class ServiceBusUsageTransport(UsageQueueClients clients, UsageClaimCheckStore claims) : IUsageEventTransport
{
    public async Task SendBatchAsync(IReadOnlyList<UsageEventMessage> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var messages = new List<ServiceBusRestMessage>(batch.Count);
        try
        {
            foreach (var message in batch)
            {
                var body = await claims.EncodeForQueueAsync(message, UsageMessageCodec.ServiceBusMaxBodyBytes, cancellationToken);
                messages.Add(new ServiceBusRestMessage(body) { MessageId = message.EventId, ContentType = "application/json" });
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            clients.OnNotFound(ex); // the claim container was deleted: the retry creates it again
            throw;
        }

        await clients.ServiceBus.SendBatchAsync(messages, cancellationToken);
    }
}
