using Azure;
using Azure.Messaging.ServiceBus;
using Gateway.Domain.Usage.Publishing;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// Sends usage events to the Service Bus queue as <see cref="UsageBatchEnvelope"/> messages of up to
/// <see cref="UsageMessageCodec.ServiceBusMaxBodyBytes"/> bytes each (gzip of the JSON unless
/// <c>UsageTransport__Compression</c> is <c>none</c>), packed into as few
/// <see cref="ServiceBusMessageBatch"/> sends as the sender's size limit allows. Each message's
/// MessageId is its batch id, so the queue's duplicate detection drops the copies a retried send
/// makes; ingest is idempotent per event id either way.
/// </summary>
public sealed class ServiceBusUsageTransport(ServiceBusSender sender, UsageBatchEncoder encoder, UsageQueueClients clients) : IUsageEventTransport
{
    // The content type stays JSON; a gzip body says so in AMQP's content-encoding, as HTTP would.
    private static ServiceBusMessage ToMessage(UsageQueueBatch batch)
    {
        var message = new ServiceBusMessage(batch.Body) { MessageId = batch.BatchId, ContentType = "application/json" };
        if (UsageGzip.IsGzip(batch.Body.Span))
        {
            message.GetRawAmqpMessage().Properties.ContentEncoding = "gzip";
        }

        return message;
    }

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

        ServiceBusMessageBatch? current = null;
        try
        {
            foreach (var message in encoded.Select(ToMessage))
            {
                current ??= await sender.CreateMessageBatchAsync(cancellationToken);
                if (current.TryAddMessage(message))
                {
                    continue;
                }

                if (current.Count == 0)
                {
                    // The codec keeps bodies far below the smallest tier's limit: this is a bug, not load.
                    throw new InvalidOperationException($"A usage message of {message.Body.ToMemory().Length} bytes does not fit in an empty Service Bus batch of {current.MaxSizeInBytes} bytes.");
                }

                await sender.SendMessagesAsync(current, cancellationToken);
                current.Dispose();
                current = await sender.CreateMessageBatchAsync(cancellationToken);
                if (!current.TryAddMessage(message))
                {
                    throw new InvalidOperationException($"A usage message of {message.Body.ToMemory().Length} bytes does not fit in an empty Service Bus batch of {current.MaxSizeInBytes} bytes.");
                }
            }

            if (current is { Count: > 0 })
            {
                await sender.SendMessagesAsync(current, cancellationToken);
            }
        }
        finally
        {
            current?.Dispose();
        }
    }
}
