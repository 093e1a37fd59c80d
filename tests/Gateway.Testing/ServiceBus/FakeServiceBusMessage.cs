using System.Text;

namespace Gateway.Testing.ServiceBus;

/// <summary>A snapshot of a message held by <see cref="FakeServiceBusServer"/>.</summary>
public sealed record FakeServiceBusMessage(
    byte[] Body,
    string? ContentType,
    string MessageId,
    string? CorrelationId,
    TimeSpan? TimeToLive,
    IReadOnlyDictionary<string, string> UserProperties,
    long SequenceNumber,
    int DeliveryCount,
    DateTimeOffset EnqueuedTime,
    string? LockToken,
    DateTimeOffset? LockedUntil,
    string? DeadLetterReason)
{
    public bool IsLocked => LockToken is not null;

    public string BodyAsString() => Encoding.UTF8.GetString(Body);
}
