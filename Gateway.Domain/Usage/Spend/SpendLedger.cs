using Gateway.Domain.Limits;
using Gateway.Domain.Usage.Ingest;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Domain.Usage.Spend;

/// <summary>
/// Step 3 of ingest and the rebuild's source: marks events <c>spend_applied</c> and adds exactly those
/// it flipped to the <c>spend_totals</c> running totals, in one statement, so the totals are always
/// the sum of the applied events (per-event nano-dollars, what the Redis increments add).
/// </summary>
public sealed class SpendLedger(NpgsqlDataSource dataSource, TimeProvider time)
{
    // One statement, so atomic without a transaction and holding the totals' row locks only while it
    // runs: flip the events, and add to the totals the counter rows of exactly the events it flipped.
    // Sorted by the totals' key: concurrent batches lock shared rows in the same order (no deadlock).
    private const string MarkAndAddSql = """
        WITH flipped AS (
            UPDATE events SET spend_applied = true WHERE event_id = ANY($1) AND NOT spend_applied RETURNING event_id
        )
        INSERT INTO spend_totals (owner_kind, owner_id, unit, window_start, nano_usd)
        SELECT c.kind, c.id, c.unit, c.start, SUM(c.nano)
        FROM unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::bigint[], $7::bigint[]) AS c(event_id, kind, id, unit, start, nano)
        WHERE c.event_id IN (SELECT event_id FROM flipped)
        GROUP BY c.kind, c.id, c.unit, c.start
        ORDER BY c.kind, c.id, c.unit, c.start
        ON CONFLICT (owner_kind, owner_id, unit, window_start) DO UPDATE SET nano_usd = spend_totals.nano_usd + excluded.nano_usd
        """;

    private const string ReadSql = """
        SELECT owner_id, unit, window_start, nano_usd FROM spend_totals
        WHERE owner_kind = $1 AND owner_id = ANY($2) AND (unit = 'total' OR window_start = ANY($3))
        """;

    // Windows that are over are read by nobody: the rebuild drops them.
    private const string PruneSql = """
        DELETE FROM spend_totals WHERE unit <> 'total' AND NOT (
            (unit = 'm' AND window_start >= $1) OR (unit = 'h' AND window_start >= $2)
            OR (unit = 'd' AND window_start >= $3) OR (unit = 'mo' AND window_start >= $4))
        """;

    /// <summary>Marks the entries applied and adds those not applied before to the running totals.</summary>
    public async Task MarkAppliedAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return;
        }

        var now = time.GetUtcNow();
        var counters = new List<SpendCounter>();
        var eventIds = new List<string>();
        var kinds = new List<string>();
        var ids = new List<string>();
        var units = new List<string>();
        var starts = new List<long>();
        var amounts = new List<long>();
        foreach (var entry in entries)
        {
            var nano = entry.NanoUsd;
            counters.Clear();
            if (nano != 0)
            {
                SpendCounter.AddFor(entry, now, counters);
            }

            foreach (var counter in counters)
            {
                eventIds.Add(entry.EventId);
                kinds.Add(SpendCounterKeys.Prefix(counter.Owner));
                ids.Add(counter.OwnerId);
                units.Add(counter.UnitCode);
                starts.Add(counter.WindowStart.ToUnixTimeSeconds());
                amounts.Add(nano);
            }
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = new NpgsqlCommand(MarkAndAddSql, connection);
        command.Parameters.Add(Array(entries.Select(e => e.EventId).ToArray(), NpgsqlDbType.Varchar));
        command.Parameters.Add(Array(eventIds.ToArray(), NpgsqlDbType.Varchar));
        command.Parameters.Add(Array(kinds.ToArray(), NpgsqlDbType.Varchar));
        command.Parameters.Add(Array(ids.ToArray(), NpgsqlDbType.Varchar));
        command.Parameters.Add(Array(units.ToArray(), NpgsqlDbType.Varchar));
        command.Parameters.Add(Array(starts.ToArray(), NpgsqlDbType.Bigint));
        command.Parameters.Add(Array(amounts.ToArray(), NpgsqlDbType.Bigint));
        await command.PrepareAsync(cancellationToken);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>The total and the current windows (<paramref name="windowStarts"/>) of the owners: (owner id, unit code, window start) → nano-dollars.</summary>
    public async Task<Dictionary<(string OwnerId, string Unit, long WindowStart), long>> ReadAsync(SpendCounterKeys.Owner owner, IReadOnlyList<string> ownerIds, long[] windowStarts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ownerIds);
        var totals = new Dictionary<(string, string, long), long>();
        if (ownerIds.Count == 0)
        {
            return totals;
        }

        await using var command = dataSource.CreateCommand(ReadSql);
        command.Parameters.Add(new NpgsqlParameter { Value = SpendCounterKeys.Prefix(owner), NpgsqlDbType = NpgsqlDbType.Varchar });
        command.Parameters.Add(Array(ownerIds.ToArray(), NpgsqlDbType.Varchar));
        command.Parameters.Add(Array(windowStarts, NpgsqlDbType.Bigint));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            totals[(reader.GetString(0), reader.GetString(1), reader.GetInt64(2))] = reader.GetInt64(3);
        }

        return totals;
    }

    /// <summary>Deletes window totals older than the current window of their unit; returns how many.</summary>
    public async Task<int> PruneAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(PruneSql);
        foreach (var unit in SpendCounter.SpendUnits)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = unit.Window(now).Start.ToUnixTimeSeconds(), NpgsqlDbType = NpgsqlDbType.Bigint });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType type) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };
}
