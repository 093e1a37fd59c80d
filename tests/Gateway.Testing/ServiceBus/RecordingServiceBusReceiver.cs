using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace Gateway.Testing.ServiceBus;

/// <summary>
/// A <see cref="ServiceBusReceiver"/> built with the SDK's mocking support, recording how each
/// message was settled. Handed to <see cref="ProcessMessageEventArgs"/>, whose settle methods call it,
/// so a processor's message handler can be run without a broker.
/// </summary>
public sealed class RecordingServiceBusReceiver : ServiceBusReceiver
{
    /// <summary>How a message was settled: Complete, Abandon or DeadLetter (with reason and description).</summary>
    public sealed record Settlement(string Action, string MessageId, string? Reason = null, string? Description = null);

    public ConcurrentQueue<Settlement> Settlements { get; } = new();

    public override string EntityPath => "usage-events";

    public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Settlements.Enqueue(new("Complete", message.MessageId));
        return Task.CompletedTask;
    }

    public override Task AbandonMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Settlements.Enqueue(new("Abandon", message.MessageId));
        return Task.CompletedTask;
    }

    public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Settlements.Enqueue(new("DeadLetter", message.MessageId, deadLetterReason, deadLetterErrorDescription));
        return Task.CompletedTask;
    }

    public override Task DeadLetterMessageAsync(ServiceBusReceivedMessage message, IDictionary<string, object>? propertiesToModify, string deadLetterReason, string? deadLetterErrorDescription = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        Settlements.Enqueue(new("DeadLetter", message.MessageId, deadLetterReason, deadLetterErrorDescription));
        return Task.CompletedTask;
    }

    /// <summary>A peek-locked message as the processor hands it over.</summary>
    public static ServiceBusReceivedMessage Received(ReadOnlyMemory<byte> body, string messageId, int deliveryCount = 1)
        => ServiceBusModelFactory.ServiceBusReceivedMessage(body: new BinaryData(body), messageId: messageId, deliveryCount: deliveryCount, lockTokenGuid: Guid.NewGuid(), contentType: "application/json");
}
