using Gateway.Domain.Usage.Costing;
using Gateway.Domain.Usage.Spend;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Logging;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// The handler of one usage message (a batch of events, or a version-1 single event), called by both
/// queue functions (under the Functions host) and the standalone consumers. Every step is idempotent
/// on the event id, so a message delivered twice, or redelivered after the consumer died between
/// steps, stores and charges each of its events once.
/// </summary>
/// <remarks>
/// <code>
/// 0. decode     envelope, then each element on its own; claim checks replaced by their blobs
///               ─ an element that cannot be decoded → poison queue with its reason; the rest go on
///               ─ a message that cannot be read at all → Error (the caller poisons / dead-letters it)
/// 1. cost       tokens (provider usage, else SharpToken) × prices (table, overrides, costMap)
/// 2. ledger     one INSERT ... ON CONFLICT (event_id) DO NOTHING for the batch; conflicts read back
///               ─ rows already spend_applied → Duplicate
/// 3. spend      one Redis script: per event SET spend-applied:{id} NX, and only then its increments
/// 4. ledger     one transaction: UPDATE events SET spend_applied = true, and add the events it
///               flipped to the spend_totals running totals
/// </code>
/// A crash after 2 leaves unapplied rows: the redelivery skips their inserts, applies 3 with the
/// stored costs. A crash after 3 leaves the markers: the redelivery's 3 is a no-op, 4 marks the rows.
/// PostgreSQL, Redis and Storage failures throw, so the message is retried.
/// </remarks>
public sealed partial class UsageIngestor(
    UsageClaimCheckStore claims,
    UsageCostCalculator calculator,
    UsageEventStore store,
    SpendApplier spend,
    SpendLedger ledger,
    UsageLookups lookups,
    UsagePoisonStore poison,
    UsageIngestMetrics metrics,
    TimeProvider time,
    ILogger<UsageIngestor> logger)
{
    /// <summary>Ingests a message as it came off the queue (UTF-8 JSON); <paramref name="messageId"/> is the queue's id, for the poison record.</summary>
    public async Task<UsageBatchResult> IngestAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken, string? messageId = null)
    {
        var batch = UsageBatchDecoder.Decode(body);
        if (batch.Error is not null)
        {
            LogUnreadable(logger, messageId ?? "(unknown)", batch.Error);
            return new UsageBatchResult(null, [], [], batch.Error);
        }

        // 0. The whole event, when the queue carried a claim check.
        var rejected = new List<RejectedUsageEvent>(batch.Rejected);
        var events = new List<UsageEventMessage>(batch.Events.Count);
        for (var i = 0; i < batch.Events.Count; i++)
        {
            var message = batch.Events[i];
            if (message.ClaimCheck is null)
            {
                events.Add(message);
                continue;
            }

            var (full, error) = await claims.ResolveAsync(message, cancellationToken);
            if (full is null)
            {
                rejected.Add(new RejectedUsageEvent(i, message.EventId, error!, System.Text.Encoding.UTF8.GetString(UsageMessageCodec.Serialize(message))));
            }
            else
            {
                events.Add(full);
            }
        }

        var results = await IngestEventsAsync(events, cancellationToken);
        await poison.PoisonAsync(rejected, batch.BatchId, messageId, cancellationToken);
        return new UsageBatchResult(batch.BatchId, [.. results, .. rejected.Select(r => UsageIngestResult.Malformed(r.EventId, r.Reason))], rejected, null);
    }

    /// <summary>Ingests one decoded event (a batch of one): its outcome.</summary>
    public async Task<UsageIngestResult> IngestAsync(UsageEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var result = await IngestAsync(UsageMessageCodec.Serialize(message), cancellationToken);
        return result.Events.Count > 0 ? result.Events[0] : UsageIngestResult.Malformed(message.EventId, result.Error ?? "not ingested");
    }

    private async Task<List<UsageIngestResult>> IngestEventsAsync(List<UsageEventMessage> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return [];
        }

        // 1. Cost.
        var priced = new List<PricedEvent>(events.Count);
        foreach (var message in events)
        {
            var costMap = string.IsNullOrEmpty(message.SettingId) ? null : await lookups.CostMapAsync(message.SettingId, cancellationToken);
            var cost = calculator.Calculate(message, costMap);
            if (cost.UnknownModel)
            {
                LogUnknownModel(logger, message.EventId, message.Provider, message.Model);
            }

            priced.Add(new PricedEvent(message, cost));
        }

        // 2. Ledger.
        var entries = await store.InsertAsync(priced, time.GetUtcNow(), cancellationToken);
        var pending = entries.Where(e => !e.SpendApplied).ToList();

        // 3. Spend, exactly once per event id. 4. Ledger: applied, and the running totals.
        await spend.ApplyAsync(pending, cancellationToken);
        await ledger.MarkAppliedAsync(pending, cancellationToken);
        metrics.Stored(priced, entries, pending, time.GetUtcNow());

        var results = entries.Select(e => new UsageIngestResult(e.SpendApplied ? UsageIngestOutcome.Duplicate : e.Inserted ? UsageIngestOutcome.Ingested : UsageIngestOutcome.Resumed, e.EventId)).ToList();
        foreach (var outcome in results.GroupBy(r => r.Outcome))
        {
            metrics.Ingested(outcome.Key, outcome.Count());
        }

        return results;
    }

    [LoggerMessage(5200, LogLevel.Error, "Usage message {MessageId} cannot be read at all and will not be stored: {Reason}")]
    private static partial void LogUnreadable(ILogger logger, string messageId, string reason);

    [LoggerMessage(5201, LogLevel.Information, "Usage event {EventId}: no price for model '{Model}' of provider '{Provider}'; costed at 0 and flagged unknown_model")]
    private static partial void LogUnknownModel(ILogger logger, string eventId, string provider, string model);
}
