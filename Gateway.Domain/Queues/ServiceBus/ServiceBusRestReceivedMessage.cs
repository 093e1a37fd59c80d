using System.Text;

namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>A message received with Peek-Lock: settle it with Complete (Delete Message) or Abandon (Unlock Message) before <see cref="LockedUntil"/>.</summary>
internal sealed class ServiceBusRestReceivedMessage
{
    public required ReadOnlyMemory<byte> Body { get; init; }

    public string? ContentType { get; init; }

    public required string MessageId { get; init; }

    public string? CorrelationId { get; init; }

    /// <summary>1 on the first delivery; each abandon or lock expiry adds one, up to the queue's MaxDeliveryCount.</summary>
    public required int DeliveryCount { get; init; }

    public required string LockToken { get; init; }

    public required long SequenceNumber { get; init; }

    public DateTimeOffset? EnqueuedTime { get; init; }

    public DateTimeOffset? LockedUntil { get; init; }

    /// <summary>
    /// The URI of the lock (<c>.../messages/{sequenceNumber}/{lockToken}</c>): the <c>Location</c> header
    /// the broker returned, used unchanged by complete, abandon and renew.
    /// </summary>
    public required Uri LockLocation { get; init; }

    public IReadOnlyDictionary<string, string> UserProperties { get; init; } = new Dictionary<string, string>();

    /// <summary>The body as UTF-8 text.</summary>
    public string BodyAsString() => Encoding.UTF8.GetString(Body.Span);
}
