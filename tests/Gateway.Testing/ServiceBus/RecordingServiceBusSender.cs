using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace Gateway.Testing.ServiceBus;

/// <summary>
/// A <see cref="ServiceBusSender"/> built with the SDK's mocking support (the protected constructor,
/// virtual members, <see cref="ServiceBusModelFactory.ServiceBusMessageBatch"/>): batches accept
/// messages while their bodies fit in <see cref="MaxBatchBytes"/> (Standard tier: 256 KiB), and every
/// send is recorded. No broker is involved: the AMQP wire is the SDK's, not ours.
/// </summary>
public sealed class RecordingServiceBusSender(long maxBatchBytes = 256 * 1024) : ServiceBusSender
{
    private readonly ConcurrentDictionary<ServiceBusMessageBatch, List<ServiceBusMessage>> _open = new();

    public long MaxBatchBytes { get; } = maxBatchBytes;

    /// <summary>Each send, in order: the messages of one batch.</summary>
    public ConcurrentQueue<IReadOnlyList<ServiceBusMessage>> Sends { get; } = new();

    public IReadOnlyList<ServiceBusMessage> AllMessages => [.. Sends.SelectMany(static s => s)];

    public override string EntityPath => "usage-events";

    public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CancellationToken cancellationToken = default)
        => CreateMessageBatchAsync(new CreateMessageBatchOptions { MaxSizeInBytes = MaxBatchBytes }, cancellationToken);

    public override ValueTask<ServiceBusMessageBatch> CreateMessageBatchAsync(CreateMessageBatchOptions options, CancellationToken cancellationToken = default)
    {
        var store = new List<ServiceBusMessage>();
        long size = 0;
        var batch = ServiceBusModelFactory.ServiceBusMessageBatch(0, store, options, message =>
        {
            var length = message.Body.ToMemory().Length;
            if (size + length > MaxBatchBytes)
            {
                return false;
            }

            size += length;
            return true;
        });
        _open[batch] = store;
        return ValueTask.FromResult(batch);
    }

    public override Task SendMessagesAsync(ServiceBusMessageBatch messageBatch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messageBatch);
        Sends.Enqueue(_open.TryRemove(messageBatch, out var messages) ? [.. messages] : []);
        return Task.CompletedTask;
    }
}
