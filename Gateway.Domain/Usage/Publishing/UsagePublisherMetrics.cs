using System.Diagnostics.Metrics;

namespace Gateway.Domain.Usage.Publishing;

/// <summary>
/// The publisher's counters (meter <c>Gateway.Usage</c>): <c>gateway.usage.events_sent</c>,
/// <c>gateway.usage.events_spilled</c>, <c>gateway.usage.events_dropped</c> (tagged with the
/// <c>reason</c>: <c>buffer_full</c>, <c>spill_full</c>, <c>spill_failed</c>, <c>spill_unreadable</c>, <c>stopped</c>)
/// and the gauges <c>gateway.usage.spill_pending</c> and <c>gateway.usage.publisher_backlog</c>; the running totals are kept for logs and tests.
/// </summary>
internal sealed class UsagePublisherMetrics
{
    public const string BufferFull = "buffer_full";
    public const string SpillFull = "spill_full";
    public const string SpillFailed = "spill_failed";
    public const string SpillUnreadable = "spill_unreadable";
    public const string Stopped = "stopped";

    private readonly Counter<long> _sent;
    private readonly Counter<long> _spilled;
    private readonly Counter<long> _dropped;
    private long _sentTotal;
    private long _spilledTotal;
    private long _droppedTotal;

    public UsagePublisherMetrics(IMeterFactory meters, Func<long> spillPending, Func<long>? backlog = null)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create("Gateway.Usage");
        _sent = meter.CreateCounter<long>("gateway.usage.events_sent", description: "Usage events sent to the queue (including those sent from the spill store)");
        _spilled = meter.CreateCounter<long>("gateway.usage.events_spilled", description: "Usage events written to the local spill store because the queue did not take them");
        _dropped = meter.CreateCounter<long>("gateway.usage.events_dropped", description: "Usage events dropped: neither sent nor kept (see the reason tag)");
        meter.CreateObservableGauge("gateway.usage.spill_pending", spillPending, description: "Usage events in the spill store waiting to be sent");
        if (backlog is not null)
        {
            meter.CreateObservableGauge("gateway.usage.publisher_backlog", backlog, description: "Usage events accepted and held in memory, not yet sent, spilled or dropped");
        }
    }

    public long SentTotal => Interlocked.Read(ref _sentTotal);

    public long SpilledTotal => Interlocked.Read(ref _spilledTotal);

    public long DroppedTotal => Interlocked.Read(ref _droppedTotal);

    public void Sent(int count)
    {
        _sent.Add(count);
        Interlocked.Add(ref _sentTotal, count);
    }

    public void Spilled(int count)
    {
        _spilled.Add(count);
        Interlocked.Add(ref _spilledTotal, count);
    }

    /// <summary>Counts a drop and returns the total since start.</summary>
    public long Dropped(int count, string reason)
    {
        _dropped.Add(count, new KeyValuePair<string, object?>("reason", reason));
        return Interlocked.Add(ref _droppedTotal, count);
    }
}
