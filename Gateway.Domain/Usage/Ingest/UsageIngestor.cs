using Gateway.Domain.Usage.Costing;
using Gateway.Domain.Usage.Spend;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// The handler of one usage message, called by both queue functions (under the Functions host) and
/// the standalone consumers. Every step is idempotent on the event id, so a message delivered twice,
/// or redelivered after the consumer died between steps, is stored once and charged once.
/// </summary>
/// <remarks>
/// <code>
/// 0. decode        JSON, schema version, event id; a claim check is replaced by its blob   (malformed → poison)
/// 1. cost          tokens (provider usage, else SharpToken) × prices (table, overrides, costMap)
/// 2. ledger        INSERT ... ON CONFLICT (event_id) DO NOTHING; on conflict read the stored row
///                  ─ row already spend_applied → Duplicate, done
/// 3. spend         one Redis script: SET spend-applied:{id} NX, and only then INCRBY the counters
/// 4. ledger        UPDATE events SET spend_applied = true
/// </code>
/// A crash after 2 leaves an unapplied row: the redelivery skips 1's insert, applies 3 with the stored
/// cost. A crash after 3 leaves the marker: the redelivery's 3 is a no-op, 4 marks the row. PostgreSQL
/// and Redis failures throw, so the message is retried.
/// </remarks>
public sealed partial class UsageIngestor(
    UsageClaimCheckStore claims,
    UsageCostCalculator calculator,
    UsageEventStore store,
    SpendApplier spend,
    UsageLookups lookups,
    TimeProvider time,
    ILogger<UsageIngestor> logger)
{
    /// <summary>Ingests a message as it came off the queue (UTF-8 JSON).</summary>
    public Task<UsageIngestResult> IngestAsync(ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var message = UsageMessageCodec.TryParse(body.Span, out var error);
        return message is null ? Task.FromResult(Malformed(null, error!)) : IngestAsync(message, cancellationToken);
    }

    /// <inheritdoc cref="IngestAsync(ReadOnlyMemory{byte}, CancellationToken)"/>
    public Task<UsageIngestResult> IngestAsync(string body, CancellationToken cancellationToken)
        => IngestAsync(System.Text.Encoding.UTF8.GetBytes(body ?? string.Empty), cancellationToken);

    public async Task<UsageIngestResult> IngestAsync(UsageEventMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // 0. The whole event, when the queue carried a claim check.
        if (message.ClaimCheck is not null)
        {
            var (full, error) = await claims.ResolveAsync(message, cancellationToken);
            if (full is null)
            {
                return Malformed(message.EventId, error!);
            }

            message = full;
        }

        // 1. Cost.
        var costMap = string.IsNullOrEmpty(message.SettingId) ? null : await lookups.CostMapAsync(message.SettingId, cancellationToken);
        var cost = calculator.Calculate(message, costMap);
        var chargedUser = string.IsNullOrEmpty(message.UserId) ? null : await lookups.EndUserAsync(message.UserId, message.KeyId, message.Tags ?? [], cancellationToken);
        if (cost.UnknownModel)
        {
            LogUnknownModel(logger, message.EventId, message.Provider, message.Model);
        }

        // 2. Ledger.
        LedgerEntry entry;
        try
        {
            entry = await store.InsertAsync(message, cost, chargedUser, time.GetUtcNow(), cancellationToken);
        }
        catch (PostgresException ex) when (ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal))
        {
            // Data exceptions and constraint violations come back on every retry.
            return Malformed(message.EventId, $"PostgreSQL refused the event: {ex.SqlState} {ex.MessageText}");
        }

        if (entry.SpendApplied)
        {
            return new UsageIngestResult(UsageIngestOutcome.Duplicate, entry.EventId);
        }

        // 3. Spend, exactly once per event id. 4. Ledger: applied.
        await spend.ApplyAsync(entry, cancellationToken);
        await store.MarkSpendAppliedAsync(entry.EventId, cancellationToken);
        return new UsageIngestResult(entry.Inserted ? UsageIngestOutcome.Ingested : UsageIngestOutcome.Resumed, entry.EventId);
    }

    private UsageIngestResult Malformed(string? eventId, string reason)
    {
        LogMalformed(logger, eventId ?? "(unknown)", reason);
        return UsageIngestResult.Malformed(eventId, reason);
    }

    [LoggerMessage(5200, LogLevel.Warning, "Usage message {EventId} is malformed and will not be stored: {Reason}")]
    private static partial void LogMalformed(ILogger logger, string eventId, string reason);

    [LoggerMessage(5201, LogLevel.Information, "Usage event {EventId}: no price for model '{Model}' of provider '{Provider}'; costed at 0 and flagged unknown_model")]
    private static partial void LogUnknownModel(ILogger logger, string eventId, string provider, string model);
}
