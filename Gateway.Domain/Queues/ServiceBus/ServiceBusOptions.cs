namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>
/// Where and how to reach the Service Bus queue: a connection string (SAS) or a namespace
/// (Microsoft Entra ID), plus the queue. Not bound from configuration: the usage transport builds it
/// from its flat settings (<c>UsageServiceBus</c>, <c>UsageServiceBus__fullyQualifiedNamespace</c>,
/// <c>UsageQueueName</c>; see <c>UsageTransportOptions</c>).
/// </summary>
public sealed class ServiceBusOptions
{
    /// <summary>Service Bus Standard tier's maximum message size; a batch request counts as one message.</summary>
    public const int StandardTierMaxBytes = 256 * 1024;

    /// <summary><c>Endpoint=sb://{ns}.servicebus.windows.net/;SharedAccessKeyName=...;SharedAccessKey=...[;EntityPath=...]</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary><c>{ns}.servicebus.windows.net</c>, authenticated with a Microsoft Entra ID credential.</summary>
    public string? FullyQualifiedNamespace { get; set; }

    /// <summary>The queue; may be omitted when the connection string has an <c>EntityPath</c>.</summary>
    public string? QueueName { get; set; }

    /// <summary>Upper bound of one request body (a message, or a Send Message Batch); larger batches are split.</summary>
    public int MaxBatchBytes { get; set; } = StandardTierMaxBytes;

    /// <summary>
    /// Sends requests here instead of <c>https://{namespace}/</c> (the SAS resource URI still names the
    /// namespace). Plain <c>http</c> is accepted on loopback only, for the test fake.
    /// </summary>
    public Uri? Endpoint { get; set; }
}
