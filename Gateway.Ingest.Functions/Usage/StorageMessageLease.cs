using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// Keeps a received Storage message invisible while it is processed: every third of the visibility
/// timeout it is extended by a whole timeout (Update Message). So the timeout can be short (a message
/// held by a consumer that died comes back within it) however long a batch takes. Each update
/// changes the pop receipt; settle with <see cref="PopReceipt"/> after <see cref="StopAsync"/>.
/// </summary>
internal sealed partial class StorageMessageLease : IAsyncDisposable
{
    private readonly QueueClient _queue;
    private readonly QueueMessage _message;
    private readonly TimeSpan _visibility;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _renewing;

    public StorageMessageLease(QueueClient queue, QueueMessage message, TimeSpan visibility, TimeProvider time, ILogger logger)
    {
        _queue = queue;
        _message = message;
        _visibility = visibility;
        _logger = logger;
        PopReceipt = message.PopReceipt;
        _renewing = RenewAsync(time);
    }

    public string PopReceipt { get; private set; }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _renewing;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _stop.Dispose();
    }

    private async Task RenewAsync(TimeProvider time)
    {
        using var timer = new PeriodicTimer(_visibility / 3, time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token))
            {
                try
                {
                    // Not cancelled by StopAsync: an update cut short might still land and leave us a stale receipt.
                    var receipt = await _queue.UpdateMessageAsync(_message.MessageId, PopReceipt, visibilityTimeout: _visibility, cancellationToken: CancellationToken.None);
                    PopReceipt = receipt.Value.PopReceipt;
                }
#pragma warning disable CA1031 // Whatever failed, processing goes on; the worst case is a redelivery.
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    // The message may reappear and be processed twice: idempotent, so only noted.
                    LogRenewFailed(_logger, _message.MessageId, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }

    [LoggerMessage(3205, LogLevel.Warning, "Could not extend the visibility of usage message {MessageId}; it may be redelivered while still being processed (ingest is idempotent)")]
    private static partial void LogRenewFailed(ILogger logger, string messageId, Exception exception);
}
