using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Usage.Publishing;

/// <summary>
/// The proxy's non-blocking publisher: <see cref="Publish"/> only writes to a bounded in-memory
/// channel; a background loop sends batches (by count and by a short linger) to the transport,
/// retrying with backoff while the queue is unreachable. A full buffer drops the new event and
/// counts it (<c>gateway.usage.events_dropped</c>) with a warning; a graceful shutdown sends what
/// is buffered.
/// </summary>
public sealed partial class UsageEventPublisher : BackgroundService, IUsageEventPublisher
{
    private readonly Channel<UsageEventMessage> _channel;
    private readonly IUsageEventTransport _transport;
    private readonly UsagePublisherOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageEventPublisher> _logger;
    private readonly Counter<long> _dropped;
    private readonly Counter<long> _sent;
    private long _droppedTotal;

    public UsageEventPublisher(IUsageEventTransport transport, IOptions<UsagePublisherOptions> options, TimeProvider time, IMeterFactory meters, ILogger<UsageEventPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(meters);
        _transport = transport;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<UsageEventMessage>(new BoundedChannelOptions(_options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        var meter = meters.Create("Gateway.Usage");
        _dropped = meter.CreateCounter<long>("gateway.usage.events_dropped", description: "Usage events dropped because the publisher's buffer was full");
        _sent = meter.CreateCounter<long>("gateway.usage.events_sent", description: "Usage events sent to the queue");
    }

    /// <summary>Events dropped since start because the buffer was full.</summary>
    public long DroppedCount => Interlocked.Read(ref _droppedTotal);

    public void Publish(UsageEventMessage message)
    {
        // FullMode.Wait makes TryWrite fail instead of evicting an accepted event: the new one is the one lost.
        if (!_channel.Writer.TryWrite(message))
        {
            _dropped.Add(1);
            var total = Interlocked.Increment(ref _droppedTotal);
            if ((total & (total - 1)) == 0)
            {
                LogDropped(_logger, message.EventId, total);
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _channel.Writer.TryComplete();
        using var drain = new CancellationTokenSource(_options.ShutdownTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, drain.Token);
        try
        {
            await (ExecuteTask ?? Task.CompletedTask).WaitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            LogShutdownLoss(_logger, _channel.Reader.Count);
        }

        await base.StopAsync(CancellationToken.None);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<UsageEventMessage>(_options.MaxBatchSize);
        var reader = _channel.Reader;

        // Runs until the writer completes (at shutdown) and everything buffered was sent; stoppingToken
        // is not used to stop reading, so that StopAsync's drain gets the events still in the channel.
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            batch.Clear();
            while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var first))
            {
                batch.Add(first);
            }

            if (batch.Count < _options.MaxBatchSize && _options.Linger > TimeSpan.Zero && !reader.Completion.IsCompleted)
            {
                await Task.Delay(_options.Linger, _time, CancellationToken.None);
                while (batch.Count < _options.MaxBatchSize && reader.TryRead(out var more))
                {
                    batch.Add(more);
                }
            }

            await SendWithRetryAsync(batch);
        }
    }

    private async Task SendWithRetryAsync(List<UsageEventMessage> batch)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _transport.SendBatchAsync(batch, CancellationToken.None);
                _sent.Add(batch.Count);
                return;
            }
#pragma warning disable CA1031 // Any transport failure is retried: the proxy keeps serving meanwhile.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogSendFailed(_logger, batch.Count, attempt, delay, ex);
                await Task.Delay(delay, _time, CancellationToken.None);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    [LoggerMessage(5000, LogLevel.Warning, "Usage event buffer full: dropped event {EventId} ({Total} dropped since start)")]
    private static partial void LogDropped(ILogger logger, string eventId, long total);

    [LoggerMessage(5001, LogLevel.Warning, "Sending {Count} usage events failed (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogSendFailed(ILogger logger, int count, int attempt, TimeSpan delay, Exception exception);

    [LoggerMessage(5002, LogLevel.Error, "Shutdown timed out with {Count} usage events still buffered; they are lost")]
    private static partial void LogShutdownLoss(ILogger logger, int count);
}
