using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Usage.Publishing;

/// <summary>
/// The proxy's non-blocking publisher. <see cref="Publish"/> only writes to a bounded in-memory
/// channel. A background loop takes flushes of up to <c>MaxBatchSize</c> events (after a short
/// linger) and sends up to <c>MaxConcurrentSends</c> of them at once; the transport packs each flush
/// into a few batch messages. A flush the queue does not take goes to the <see cref="UsageSpillStore"/>
/// on local disk, and so does every flush while the store holds events (oldest first); a second loop
/// sends the store's events, oldest first, as soon as the queue takes them again. Events are dropped
/// (counted and logged with the number) only when the channel or the store is full. A graceful stop
/// sends what is buffered for up to <c>ShutdownTimeout</c>, then spills the rest and returns.
/// </summary>
public sealed partial class UsageEventPublisher : BackgroundService, IUsageEventPublisher
{
    private static readonly TimeSpan RetryInitialDelay = TimeSpan.FromMilliseconds(200);

    // How long a stop waits past ShutdownTimeout for the last flushes to reach the spill store (local disk).
    private static readonly TimeSpan SpillGrace = TimeSpan.FromSeconds(3);

    private readonly Channel<UsageEventMessage> _channel;
    private readonly IUsageEventTransport _transport;
    private readonly UsagePublisherOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<UsageEventPublisher> _logger;
    private readonly UsageSpillStore _spill;
    private readonly UsagePublisherMetrics _metrics;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _spillSignal = new(0);
    private readonly CancellationTokenSource _abortSends;
    private long _inMemory; // accepted by Publish, not yet sent, spilled or dropped
    private long _sentFromSpill; // since the current outage began
    private int _outage;
    private volatile bool _stopping;

    // A host whose startup failed can stop its services after disposing them: nothing is left to flush then.
    private volatile bool _disposed;
    private volatile bool _collected;

    public UsageEventPublisher(IUsageEventTransport transport, IOptions<UsagePublisherOptions> options, TimeProvider time, IMeterFactory meters, ILogger<UsageEventPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _transport = transport;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<UsageEventMessage>(new BoundedChannelOptions(_options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        _spill = new UsageSpillStore(_options.ResolvedSpillFolder, _options.SpillMaxBytes);
        _metrics = new UsagePublisherMetrics(meters, () => _spill.PendingEvents, () => Interlocked.Read(ref _inMemory));
        _slots = new SemaphoreSlim(_options.MaxConcurrentSends);
        _abortSends = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
    }

    /// <summary>Events dropped since start (buffer full, spill store full or failing).</summary>
    public long DroppedCount => _metrics.DroppedTotal;

    /// <summary>Events sent to the queue since start, including those sent from the spill store.</summary>
    public long SentCount => _metrics.SentTotal;

    /// <summary>Events written to the spill store since start.</summary>
    public long SpilledCount => _metrics.SpilledTotal;

    /// <summary>Events in the spill store now (including any adopted at start).</summary>
    public long SpillPendingCount => _spill.PendingEvents;

    /// <summary>This process's spill folder (under <c>UsagePublisher__SpillFolder</c>).</summary>
    public string SpillFolder => _spill.Folder;

    public void Publish(UsageEventMessage message)
    {
        // FullMode.Wait makes TryWrite fail instead of evicting an accepted event: the new one is the one dropped.
        if (_channel.Writer.TryWrite(message))
        {
            Interlocked.Increment(ref _inMemory);
            return;
        }

        if (_stopping)
        {
            // After StopAsync the host no longer serves requests; an event still arriving is not kept.
            LogPublishedAfterStop(_logger, message.EventId, _metrics.Dropped(1, UsagePublisherMetrics.Stopped));
            return;
        }

        var total = _metrics.Dropped(1, UsagePublisherMetrics.BufferFull);
        if ((total & (total - 1)) == 0)
        {
            LogBufferFull(_logger, message.EventId, total);
        }
    }

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        long adopted;
        try
        {
            adopted = _spill.Open();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The usage spill store cannot use {_options.ResolvedSpillFolder}: {ex.Message} Set UsagePublisher__SpillFolder to a writable folder on the instance's disk.", ex);
        }

        if (adopted > 0)
        {
            LogAdopted(_logger, adopted, _spill.Folder);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_disposed)
        {
            return;
        }

        _stopping = true;
        _channel.Writer.TryComplete();
        _spillSignal.Release();
        _abortSends.CancelAfter(_options.ShutdownTimeout);
        await using var hostGaveUp = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _abortSends);
        var execute = ExecuteTask ?? Task.CompletedTask;
        try
        {
            await execute.WaitAsync(_options.ShutdownTimeout + SpillGrace, _time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            // Reported below: the events still in memory are neither sent nor spilled.
        }

        var unsaved = Interlocked.Read(ref _inMemory);
        if (unsaved > 0)
        {
            _metrics.Dropped((int)Math.Min(unsaved, int.MaxValue), UsagePublisherMetrics.SpillFailed);
            LogShutdownLoss(_logger, unsaved, _spill.Folder);
        }

        if (_spill.PendingEvents > 0)
        {
            LogLeftInSpill(_logger, _spill.PendingEvents, _spill.Folder);
        }

        if (execute.IsCompleted)
        {
            _spill.Dispose(); // releases the folder for the next start
        }

        await base.StopAsync(execute.IsCompleted ? CancellationToken.None : new CancellationToken(canceled: true));
    }

    public override void Dispose()
    {
        if (ExecuteTask is null || ExecuteTask.IsCompleted)
        {
            _spill.Dispose();
        }

        _disposed = true;
        _abortSends.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // stoppingToken is not used to stop reading: StopAsync completes the channel, and everything
        // buffered is still sent or spilled.
        var drain = Task.Run(DrainSpillAsync, CancellationToken.None);
        try
        {
            await CollectAsync();
        }
        finally
        {
            _collected = true;
            _spillSignal.Release();
            await drain;
        }
    }

    private async Task CollectAsync()
    {
        var reader = _channel.Reader;
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            var batch = new List<UsageEventMessage>(Math.Min(_options.MaxBatchSize, 1024));
            Fill(batch);
            if (batch.Count < _options.MaxBatchSize && _options.Linger > TimeSpan.Zero && !_stopping)
            {
                await Task.Delay(_options.Linger, _time, CancellationToken.None);
                Fill(batch);
            }

            await _slots.WaitAsync(CancellationToken.None);
            Fill(batch); // what arrived while every send was busy shares this flush
            _ = FlushAsync(batch);
        }

        for (var i = 0; i < _options.MaxConcurrentSends; i++)
        {
            await _slots.WaitAsync(CancellationToken.None); // every flush has finished
        }
    }

    private void Fill(List<UsageEventMessage> batch)
    {
        while (batch.Count < _options.MaxBatchSize && _channel.Reader.TryRead(out var message))
        {
            batch.Add(message);
        }
    }

    private async Task FlushAsync(List<UsageEventMessage> batch)
    {
        await Task.Yield(); // encoding and sending run beside the collector
        try
        {
            if (Volatile.Read(ref _outage) == 0 && _spill.IsEmpty && await TrySendAsync(batch))
            {
                return;
            }

            Spill(batch);
        }
        finally
        {
            Interlocked.Add(ref _inMemory, -batch.Count);
            _slots.Release();
        }
    }

    private async Task<bool> TrySendAsync(IReadOnlyList<UsageEventMessage> events)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_abortSends.Token);
        timeout.CancelAfter(_options.SendTimeout);
        try
        {
            await _transport.SendBatchAsync(events, timeout.Token);
            _metrics.Sent(events.Count);
            return true;
        }
#pragma warning disable CA1031 // Any transport failure sends the events to the spill store; the proxy keeps serving.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            if (Interlocked.Exchange(ref _outage, 1) == 0)
            {
                if (_abortSends.IsCancellationRequested)
                {
                    LogShutdownDeadline(_logger, _options.ShutdownTimeout, _spill.Folder);
                }
                else
                {
                    Interlocked.Exchange(ref _sentFromSpill, 0);
                    LogQueueUnreachable(_logger, events.Count, _spill.Folder, ex);
                }
            }

            return false;
        }
    }

    private void Spill(List<UsageEventMessage> batch)
    {
        try
        {
            var stored = _spill.Append(batch);
            _metrics.Spilled(stored);
            if (stored < batch.Count)
            {
                var total = _metrics.Dropped(batch.Count - stored, UsagePublisherMetrics.SpillFull);
                LogSpillFull(_logger, batch.Count - stored, _spill.Folder, _spill.Bytes, _spill.MaxBytes, total);
            }
        }
#pragma warning disable CA1031 // Whatever the disk or the serializer throws, the events are counted and logged as dropped.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var total = _metrics.Dropped(batch.Count, UsagePublisherMetrics.SpillFailed);
            LogSpillFailed(_logger, batch.Count, _spill.Folder, total, ex);
        }

        _spillSignal.Release();
    }

    /// <summary>Sends the spill store's events, oldest first, whenever it holds any; backs off while the queue refuses them.</summary>
    private async Task DrainSpillAsync()
    {
        var delay = RetryInitialDelay;
        while (true)
        {
            if (_spill.IsEmpty)
            {
                if (Interlocked.Exchange(ref _outage, 0) == 1 && !_abortSends.IsCancellationRequested)
                {
                    LogQueueBack(_logger, Interlocked.Read(ref _sentFromSpill));
                }

                if (_collected)
                {
                    return;
                }

                await _spillSignal.WaitAsync(TimeSpan.FromSeconds(1));
                continue;
            }

            if (_abortSends.IsCancellationRequested || (_stopping && Volatile.Read(ref _outage) == 1))
            {
                return; // stopping past the deadline or with the queue down: the store keeps the events for the next start
            }

            // After a failure, one chunk probes the queue; once it takes events, several go at once.
            if (await SendSpilledAsync(delay > RetryInitialDelay ? 1 : _options.MaxConcurrentSends))
            {
                delay = RetryInitialDelay;
                continue;
            }

            if (_stopping)
            {
                return; // the queue is down while stopping: exit now, the store keeps the events
            }

            await _spillSignal.WaitAsync(delay); // wakes early when stopping
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryMaxDelay.Ticks));
        }
    }

    /// <summary>
    /// Sends the oldest chunks of the spill store, up to <c>MaxConcurrentSends</c> at once, and
    /// commits them oldest first as far as they all went; false when the queue did not take them all.
    /// </summary>
    private async Task<bool> SendSpilledAsync(int width)
    {
        var chunks = new List<UsageSpillChunk>(width);
        for (var previous = default(UsageSpillChunk); chunks.Count < width && _spill.ReadOldest(_options.MaxBatchSize, previous) is { } chunk; previous = chunk)
        {
            chunks.Add(chunk);
        }

        var sent = await Task.WhenAll(chunks.Select(c => c.Events.Count == 0 ? Task.FromResult(true) : TrySendAsync(c.Events)));
        for (var i = 0; i < chunks.Count && sent[i]; i++)
        {
            if (chunks[i].Unreadable > 0)
            {
                var total = _metrics.Dropped(chunks[i].Unreadable, UsagePublisherMetrics.SpillUnreadable);
                LogSpillUnreadable(_logger, chunks[i].Unreadable, chunks[i].SegmentPath, total);
            }

            _spill.Commit(chunks[i]);
            Interlocked.Add(ref _sentFromSpill, chunks[i].Events.Count);
        }

        return sent.All(static s => s);
    }
}
