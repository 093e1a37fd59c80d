namespace Gateway.Domain.Usage;

/// <summary>
/// Where the proxy hands a request's usage event. Never blocks and never throws: the response is
/// not delayed by the queue.
/// </summary>
public interface IUsageEventPublisher
{
    void Publish(UsageEventMessage message);
}
