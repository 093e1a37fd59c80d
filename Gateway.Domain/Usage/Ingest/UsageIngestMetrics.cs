using System.Diagnostics.Metrics;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>The ingest's counters (meter <c>Gateway.Usage.Ingest</c>); poisoned events and consumer outages are what to alarm on.</summary>
public sealed class UsageIngestMetrics
{
    public const string MeterName = "Gateway.Usage.Ingest";

    private readonly Counter<long> _events;
    private readonly Counter<long> _poisoned;
    private readonly Counter<long> _outages;
    private readonly Histogram<double> _lag;
    private readonly Counter<double> _spendApplied;

    public UsageIngestMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _events = meter.CreateCounter<long>("gateway.usage.ingest.events", description: "Usage events ingested, by outcome (ingested, resumed, duplicate)");
        _poisoned = meter.CreateCounter<long>("gateway.usage.ingest.poisoned", description: "Usage events or whole messages that could not be decoded and went to the poison queue / dead-letter queue");
        _outages = meter.CreateCounter<long>("gateway.usage.ingest.consumer_outages", description: "Times a standalone consumer lost its queue (one per outage, not per retry)");
        _lag = meter.CreateHistogram<double>("gateway.usage.ingest.lag", "s", "From an event's creation in the proxy to its row in the ledger (first storage only)");
        _spendApplied = meter.CreateCounter<double>("gateway.usage.spend_applied", "USD", "Cost added to the spend counters by ingest");
    }

    public void Ingested(UsageIngestOutcome outcome, int count)
    {
        if (count > 0)
        {
            _events.Add(count, new KeyValuePair<string, object?>("outcome", outcome.ToString().ToLowerInvariant()));
        }
    }

    /// <summary>Ingest lag of the events stored now (not of redeliveries), and the spend just applied.</summary>
    public void Stored(IReadOnlyList<PricedEvent> priced, IReadOnlyList<LedgerEntry> entries, IReadOnlyList<LedgerEntry> applied, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(priced);
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(applied);
        if (_lag.Enabled)
        {
            var created = new Dictionary<string, long>(priced.Count, StringComparer.Ordinal);
            foreach (var p in priced)
            {
                created.TryAdd(p.Message.EventId, p.Message.CreatedAtUnixMs);
            }

            foreach (var entry in entries)
            {
                if (entry.Inserted && created.GetValueOrDefault(entry.EventId) is > 0 and var createdMs)
                {
                    _lag.Record(Math.Max(0, now.ToUnixTimeMilliseconds() - createdMs) / 1000.0);
                }
            }
        }

        var spend = 0m;
        foreach (var entry in applied)
        {
            spend += entry.CostInUsd;
        }

        if (spend > 0)
        {
            _spendApplied.Add((double)spend);
        }
    }

    /// <summary>Counts what went to the poison queue: <paramref name="scope"/> is <c>event</c> (one element of a batch) or <c>message</c> (a whole message).</summary>
    public void Poisoned(string scope, int count = 1) => _poisoned.Add(count, new KeyValuePair<string, object?>("scope", scope));

    public void ConsumerOutage(string transport) => _outages.Add(1, new KeyValuePair<string, object?>("transport", transport));
}
