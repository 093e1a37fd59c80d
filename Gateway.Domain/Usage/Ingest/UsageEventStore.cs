using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// Step 1 of ingest, the <c>events</c> ledger: a batch is one
/// <c>INSERT ... SELECT FROM unnest(...) ON CONFLICT (event_id) DO NOTHING RETURNING event_id</c>, so a
/// redelivered event is a no-op, and the rows that were there already are read back (their stored
/// charge is what the spend step applies). The rows travel as one array per column, so the statement
/// is the same whatever the batch size and is prepared once per connection. Values are made storable
/// first (<see cref="UsageEventRow"/>); should PostgreSQL still refuse a row, the batch is retried row by row and a refused row is stored without its optional
/// JSON (request, response, metadata): a served request is always stored and charged.
/// </summary>
public sealed partial class UsageEventStore(NpgsqlDataSource dataSource, ILogger<UsageEventStore> logger)
{
    private const string Columns = """
        event_id, created_at, tags, key_id, cost_in_usd, provider, model, status_code,
        prompt_token_count, completion_token_count, latency_in_ms, path, method, custom_id, request, response,
        user_id, action, route_id, correlation_id, metadata, prompt_cost_in_usd, cached_prompt_cost_in_usd,
        completion_cost_in_usd, cache_write_cost_in_usd, cache_read_cost_in_usd, usage_estimated, unknown_model,
        charged_user_id, spend_applied, policy_id, pii_entities, cached
        """;

    private const string InsertSql = "INSERT INTO events (" + Columns + ") " + UsageEventRow.UnnestSql + " ON CONFLICT (event_id) DO NOTHING RETURNING event_id";

    // Bounds one statement's arrays; a queue message holds far fewer events.
    private const int MaxRowsPerStatement = 5000;

    private const string SelectSql = "SELECT event_id, key_id, charged_user_id, cost_in_usd, created_at, spend_applied FROM events WHERE event_id = ANY($1)";

    /// <summary>Stores the events not stored yet; returns every event's ledger entry (stored now or before), in no particular order.</summary>
    public async Task<IReadOnlyList<LedgerEntry>> InsertAsync(IReadOnlyList<PricedEvent> events, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var rows = events.Select(e => UsageEventRow.From(e, now)).ToList();
        var entries = new List<LedgerEntry>(rows.Count);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        var inserted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in rows.Chunk(MaxRowsPerStatement))
        {
            try
            {
                await InsertRowsAsync(connection, chunk, inserted, cancellationToken);
            }
            catch (PostgresException ex) when (IsDataError(ex))
            {
                LogBatchRefused(logger, chunk.Length, ex.SqlState, ex.MessageText);
                foreach (var row in chunk)
                {
                    await InsertOneAsync(connection, row, inserted, cancellationToken);
                }
            }
        }

        foreach (var row in rows.Where(r => inserted.Contains(r.EventId)))
        {
            entries.Add(row.Entry());
        }

        if (entries.Count < rows.Count)
        {
            await ReadStoredAsync(connection, rows.Where(r => !inserted.Contains(r.EventId)).Select(r => r.EventId).ToArray(), entries, cancellationToken);
        }

        return entries;
    }

    private async Task InsertOneAsync(NpgsqlConnection connection, UsageEventRow row, HashSet<string> inserted, CancellationToken cancellationToken)
    {
        try
        {
            await InsertRowsAsync(connection, [row], inserted, cancellationToken);
        }
        catch (PostgresException ex) when (IsDataError(ex))
        {
            // Only the optional JSON can still be at fault: the row and its charge go in without it.
            LogOptionalFieldsDropped(logger, row.EventId, ex.SqlState, ex.MessageText);
            await InsertRowsAsync(connection, [row.WithoutOptionalJson()], inserted, cancellationToken);
        }
    }

    private static async Task InsertRowsAsync(NpgsqlConnection connection, UsageEventRow[] rows, HashSet<string> inserted, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(InsertSql, connection);
        UsageEventRow.AddColumns(command.Parameters, rows);
        await command.PrepareAsync(cancellationToken);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            inserted.Add(reader.GetString(0));
        }
    }

    private static async Task ReadStoredAsync(NpgsqlConnection connection, string[] eventIds, List<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(SelectSql, connection);
        select.Parameters.Add(new NpgsqlParameter { Value = eventIds, NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var found = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            found++;
            entries.Add(new LedgerEntry(
                reader.GetString(0),
                reader.GetString(1),
                reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetDecimal(3),
                reader.GetInt64(4),
                SpendApplied: reader.GetBoolean(5),
                Inserted: false));
        }

        if (found != eventIds.Length)
        {
            throw new InvalidOperationException($"{eventIds.Length - found} events conflicted on insert but cannot be read back.");
        }
    }

    // Data exceptions (22) and constraint violations (23) come back on every retry; others are transient.
    private static bool IsDataError(PostgresException ex)
        => ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal);

    [LoggerMessage(5210, LogLevel.Warning, "PostgreSQL refused a batch of {Count} usage events ({SqlState} {Message}); storing them one by one")]
    private static partial void LogBatchRefused(ILogger logger, int count, string sqlState, string message);

    [LoggerMessage(5211, LogLevel.Warning, "Usage event {EventId}: PostgreSQL refused its request/response/metadata ({SqlState} {Message}); stored and charged without them")]
    private static partial void LogOptionalFieldsDropped(ILogger logger, string eventId, string sqlState, string message);
}
