namespace Gateway.Domain.Usage.Transport;

/// <summary>The queue usage events travel on (<c>UsageTransport</c>).</summary>
public enum UsageTransportKind
{
    /// <summary>An Azure Storage queue (Azurite locally): the default.</summary>
    StorageQueue,

    /// <summary>An Azure Service Bus queue, through the Service Bus SDK (AMQP).</summary>
    ServiceBus,
}
