using Gateway.Domain.Limits;
using Gateway.Domain.Usage.Ingest;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Domain.Usage.Spend;

/// <summary>
/// Step 3 of ingest and the rebuild's source: marks events <c>spend_applied</c> and adds exactly those
/// it flipped to the <c>spend_totals</c> running totals, in one transaction, so the totals are always
/// the sum of the applied events (per-event nano-dollars, what the Redis increments add).
/// </summary>
public sealed class SpendLedger(NpgsqlDataSource dataSource, TimeProvider time)
{
    private const string MarkSql = "UPDATE events SET spend_applied = true WHERE event_id = ANY($1) AND NOT spend_applied RETURNING event_id";

    // Sorted input: concurrent batches lock shared total rows in the same order (no deadlock).
    private const string AddSql = """
        INSERT INTO spend_totals (owner_kind, owner_id, unit, window_start, nano_usd)
        SELECT * FROM unnest($1::varchar[], $2::varchar[], $3::varchar[], $4::bigint[], $5::bigint[])
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

    /// <summary>Marks the entries applied and adds those not applied before to the running totals; returns how many it flipped.</summary>
    public async Task<int> MarkAppliedAsync(IReadOnlyList<LedgerEntry> entries, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return 0;
        }

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var flipped = new HashSet<string>(StringComparer.Ordinal);
        await using (var mark = new NpgsqlCommand(MarkSql, connection, transaction))
        {
            mark.Parameters.Add(new NpgsqlParameter { Value = entries.Select(e => e.EventId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Varchar });
            await using var reader = await mark.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                flipped.Add(reader.GetString(0));
            }
        }

        var sums = Sum(entries.Where(e => flipped.Contains(e.EventId)), time.GetUtcNow());
        if (sums.Count > 0)
        {
            await using var add = new NpgsqlCommand(AddSql, connection, transaction);
            add.Parameters.Add(Array(sums.Select(s => SpendCounterKeys.Prefix(s.Key.Owner)).ToArray(), NpgsqlDbType.Varchar));
            add.Parameters.Add(Array(sums.Select(s => s.Key.OwnerId).ToArray(), NpgsqlDbType.Varchar));
            add.Parameters.Add(Array(sums.Select(s => s.Key.UnitCode).ToArray(), NpgsqlDbType.Varchar));
            add.Parameters.Add(Array(sums.Select(s => s.Key.WindowStart.ToUnixTimeSeconds()).ToArray(), NpgsqlDbType.Bigint));
            add.Parameters.Add(Array(sums.Select(s => s.Value).ToArray(), NpgsqlDbType.Bigint));
            await add.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return flipped.Count;
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

    private static List<KeyValuePair<SpendCounter, long>> Sum(IEnumerable<LedgerEntry> entries, DateTimeOffset now)
    {
        var sums = new Dictionary<SpendCounter, long>();
        var counters = new List<SpendCounter>();
        foreach (var entry in entries)
        {
            var nano = entry.NanoUsd;
            if (nano == 0)
            {
                continue;
            }

            counters.Clear();
            SpendCounter.AddFor(entry, now, counters);
            foreach (var counter in counters)
            {
                sums[counter] = sums.GetValueOrDefault(counter) + nano;
            }
        }

        return [.. sums.OrderBy(s => SpendCounterKeys.Prefix(s.Key.Owner), StringComparer.Ordinal)
            .ThenBy(s => s.Key.OwnerId, StringComparer.Ordinal)
            .ThenBy(s => s.Key.UnitCode, StringComparer.Ordinal)
            .ThenBy(s => s.Key.WindowStart)];
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType type) => new() { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };
}
