using System.Text.Json;
using Gateway.Domain.Persistence;
using Gateway.Domain.Usage.Costing;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// The <c>events</c> ledger, written with plain SQL: <c>INSERT ... ON CONFLICT (event_id) DO NOTHING</c>
/// makes a redelivered event a no-op, and <c>spend_applied</c> records the second half of charging.
/// Values are made storable first (column lengths, JSON for the jsonb columns, no NUL characters), so
/// a well-formed event is never refused by PostgreSQL.
/// </summary>
public sealed class UsageEventStore : IAsyncDisposable
{
    private const string InsertSql = """
        INSERT INTO events (event_id, created_at, tags, key_id, cost_in_usd, provider, model, status_code,
            prompt_token_count, completion_token_count, latency_in_ms, path, method, custom_id, request, response,
            user_id, action, policy_id, route_id, correlation_id, metadata, prompt_cost_in_usd, cached_prompt_cost_in_usd,
            completion_cost_in_usd, cache_write_cost_in_usd, cache_read_cost_in_usd, usage_estimated, unknown_model,
            spend_applied, charged_user_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, NULL, $19, $20, $21,
            $22, $23, $24, $25, $26, $27, $28, false, $29)
        ON CONFLICT (event_id) DO NOTHING
        RETURNING event_id
        """;

    private const string SelectSql = "SELECT key_id, charged_user_id, cost_in_usd, created_at, spend_applied FROM events WHERE event_id = $1";

    private const string MarkSql = "UPDATE events SET spend_applied = true WHERE event_id = $1 AND NOT spend_applied";

    private readonly NpgsqlDataSource _dataSource;

    public UsageEventStore(IOptions<DatabaseOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _dataSource = NpgsqlDataSource.Create(options.Value.ConnectionString);
    }

    /// <summary>Step 1: stores the event unless its id is there already; returns the row's charge either way.</summary>
    public async Task<LedgerEntry> InsertAsync(UsageEventMessage message, UsageCost cost, string? chargedUserId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(cost);
        var createdAt = message.CreatedAtUnixMs > 0 ? message.CreatedAtUnixMs / 1000 : now.ToUnixTimeSeconds();
        var keyId = Clip(message.KeyId, 64) ?? string.Empty;
        chargedUserId = Clip(chargedUserId, 64);

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using (var insert = new NpgsqlCommand(InsertSql, connection))
        {
            var p = insert.Parameters;
            p.AddWithValue(message.EventId);
            p.AddWithValue(createdAt);
            p.Add(new NpgsqlParameter { Value = (message.Tags ?? []).Select(t => Clip(t, int.MaxValue) ?? string.Empty).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            p.AddWithValue(keyId);
            p.AddWithValue(cost.Total);
            p.AddWithValue(Clip(message.Provider, 128) ?? string.Empty);
            p.AddWithValue(Clip(message.Model, 256) ?? string.Empty);
            p.AddWithValue(message.Status);
            p.AddWithValue(cost.PromptTokens);
            p.AddWithValue(cost.CompletionTokens);
            p.AddWithValue(message.LatencyMs);
            p.AddWithValue(Clip(message.Path, 1024) ?? string.Empty);
            p.AddWithValue(Clip(message.Method, 16) ?? string.Empty);
            p.Add(Nullable(Clip(message.CustomId, 256)));
            p.Add(Jsonb(message.RequestBody));
            p.Add(Jsonb(message.ResponseBody));
            p.Add(Nullable(Clip(message.UserId, 256)));
            p.Add(Nullable(Clip(message.Action, 16)));
            p.Add(Nullable(Clip(message.RouteId, 64)));
            p.Add(Nullable(Clip(message.CorrelationId, 128)));
            p.Add(Jsonb(message.Metadata));
            p.AddWithValue(cost.Prompt);
            p.AddWithValue(cost.CachedPrompt);
            p.AddWithValue(cost.Completion);
            p.AddWithValue(cost.CacheWrite);
            p.AddWithValue(cost.CacheRead);
            p.AddWithValue(cost.Estimated);
            p.AddWithValue(cost.UnknownModel);
            p.Add(Nullable(chargedUserId));
            if (await insert.ExecuteScalarAsync(cancellationToken) is not null)
            {
                return new LedgerEntry(message.EventId, keyId, chargedUserId, cost.Total, createdAt, SpendApplied: false, Inserted: true);
            }
        }

        // A redelivery: charge what the first delivery stored.
        await using var select = new NpgsqlCommand(SelectSql, connection);
        select.Parameters.AddWithValue(message.EventId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"Event {message.EventId} conflicted on insert but cannot be read back.");
        }

        return new LedgerEntry(
            message.EventId,
            reader.GetString(0),
            reader.IsDBNull(1) ? null : reader.GetString(1),
            reader.GetDecimal(2),
            reader.GetInt64(3),
            SpendApplied: reader.GetBoolean(4),
            Inserted: false);
    }

    /// <summary>Step 3: the event's cost is in the Redis counters.</summary>
    public async Task MarkSpendAppliedAsync(string eventId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(MarkSql);
        command.Parameters.AddWithValue(eventId);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    /// <summary>
    /// A body for a jsonb column: JSON as is, anything else (an SSE stream, plain text) as a JSON
    /// string. PostgreSQL's jsonb refuses the <c>\u0000</c> escape, so it becomes U+FFFD.
    /// </summary>
    internal static string? ToJsonb(string? body)
    {
        if (body is null)
        {
            return null;
        }

        string json;
        try
        {
            using var document = JsonDocument.Parse(body);
            json = body;
        }
        catch (JsonException)
        {
            json = JsonSerializer.Serialize(body, Transport.UsageJsonContext.Queue.String);
        }

        return json.Contains("\\u0000", StringComparison.Ordinal) ? json.Replace("\\u0000", "\\ufffd", StringComparison.Ordinal) : json;
    }

    private static NpgsqlParameter Jsonb(string? body)
        => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)ToJsonb(body) ?? DBNull.Value };

    private static NpgsqlParameter Nullable(string? value)
        => new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)value ?? DBNull.Value };

    // Analytics fields are cut to their column's length rather than lose the event; PostgreSQL text
    // cannot hold NUL.
    private static string? Clip(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            value = value.Replace("\0", string.Empty, StringComparison.Ordinal);
        }

        if (value.Length > maxLength)
        {
            value = value[..maxLength];
            if (char.IsHighSurrogate(value[^1]))
            {
                value = value[..^1];
            }
        }

        return value;
    }
}
