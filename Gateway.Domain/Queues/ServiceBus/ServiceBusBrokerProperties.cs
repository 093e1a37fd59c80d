namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>
/// The JSON of the <c>BrokerProperties</c> header (single send and receive) and of each batch entry's
/// <c>BrokerProperties</c> object ("Message headers and properties" in the REST reference). The service
/// ignores broker properties it does not know; the names are PascalCase as documented.
/// </summary>
internal sealed class ServiceBusBrokerProperties
{
    public string? MessageId { get; set; }

    public string? CorrelationId { get; set; }

    /// <summary>Seconds.</summary>
    public double? TimeToLive { get; set; }

    public string? Label { get; set; }

    // Set by the broker on receive.
    public int? DeliveryCount { get; set; }

    public string? LockToken { get; set; }

    public long? SequenceNumber { get; set; }

    /// <summary>RFC 1123, e.g. "Wed, 02 Jul 2014 01:32:27 GMT".</summary>
    public string? EnqueuedTimeUtc { get; set; }

    /// <summary>RFC 1123.</summary>
    public string? LockedUntilUtc { get; set; }

    public string? State { get; set; }
}
