namespace Gateway.Domain.Usage.Publishing;

/// <summary>Sends a batch of usage events to the queue (Service Bus or Storage queue). Throws on failure; the publisher retries.</summary>
public interface IUsageEventTransport
{
    Task SendBatchAsync(IReadOnlyList<UsageEventMessage> batch, CancellationToken cancellationToken);
}
