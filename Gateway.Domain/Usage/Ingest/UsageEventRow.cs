using Npgsql;
using NpgsqlTypes;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// One <c>events</c> row as PostgreSQL will take it: text cut to its column and cleaned
/// (<see cref="TextValue"/>), JSON made jsonb-storable (<see cref="JsonbText"/>). Analytics fields are
/// cut rather than lose the event.
/// </summary>
internal sealed record UsageEventRow(PricedEvent Event, long CreatedAt, string KeyId, string? ChargedUserId, string? Request, string? Response, string? Metadata)
{
    public string EventId => Event.Message.EventId;

    public static UsageEventRow From(PricedEvent priced, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(priced);
        var message = priced.Message;
        return new UsageEventRow(
            priced,
            message.CreatedAtUnixMs > 0 ? message.CreatedAtUnixMs / 1000 : now.ToUnixTimeSeconds(),
            TextValue.Clip(message.KeyId, 64) ?? string.Empty,
            TextValue.Clip(message.EndUserId, 64),
            JsonbText.Normalize(message.RequestBody),
            JsonbText.Normalize(message.ResponseBody),
            JsonbText.Normalize(message.Metadata));
    }

    /// <summary>The last resort when PostgreSQL refuses a row: the charge without the optional JSON.</summary>
    public UsageEventRow WithoutOptionalJson() => this with { Request = null, Response = null, Metadata = null };

    /// <summary>What the spend step applies for a row stored now.</summary>
    public LedgerEntry Entry() => new(EventId, KeyId, ChargedUserId, Event.Cost.Total, CreatedAt, SpendApplied: false, Inserted: true);

    /// <summary>
    /// The rows as one array parameter per column, in the order of <see cref="UnnestSql"/>: one
    /// statement text whatever the row count, so PostgreSQL parses and plans it once per connection.
    /// </summary>
    public static void AddColumns(NpgsqlParameterCollection p, IReadOnlyList<UsageEventRow> rows)
    {
        ArgumentNullException.ThrowIfNull(p);
        ArgumentNullException.ThrowIfNull(rows);
        p.Add(Column(rows, r => TextValue.Clip(r.EventId, 64), NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => r.CreatedAt, NpgsqlDbType.Bigint));
        p.Add(Column(rows, r => JsonbText.AsJsonArray(r.Event.Message.Tags), NpgsqlDbType.Jsonb));
        p.Add(Column(rows, r => r.KeyId, NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => r.Event.Cost.Total, NpgsqlDbType.Numeric));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.Provider, 128) ?? string.Empty, NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.Model, 256) ?? string.Empty, NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => r.Event.Message.Status, NpgsqlDbType.Integer));
        p.Add(Column(rows, r => r.Event.Cost.PromptTokens, NpgsqlDbType.Integer));
        p.Add(Column(rows, r => r.Event.Cost.CompletionTokens, NpgsqlDbType.Integer));
        p.Add(Column(rows, r => r.Event.Message.LatencyMs, NpgsqlDbType.Integer));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.Path, 1024) ?? string.Empty, NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.Method, 16) ?? string.Empty, NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.CustomId, 256), NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => r.Request, NpgsqlDbType.Jsonb));
        p.Add(Column(rows, r => r.Response, NpgsqlDbType.Jsonb));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.UserId, 256), NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.Action, 16), NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.RouteId, 64), NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.CorrelationId, 128), NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => r.Metadata, NpgsqlDbType.Jsonb));
        p.Add(Column(rows, r => r.Event.Cost.Prompt, NpgsqlDbType.Numeric));
        p.Add(Column(rows, r => r.Event.Cost.CachedPrompt, NpgsqlDbType.Numeric));
        p.Add(Column(rows, r => r.Event.Cost.Completion, NpgsqlDbType.Numeric));
        p.Add(Column(rows, r => r.Event.Cost.CacheWrite, NpgsqlDbType.Numeric));
        p.Add(Column(rows, r => r.Event.Cost.CacheRead, NpgsqlDbType.Numeric));
        p.Add(Column(rows, r => r.Event.Cost.Estimated, NpgsqlDbType.Boolean));
        p.Add(Column(rows, r => r.Event.Cost.UnknownModel, NpgsqlDbType.Boolean));
        p.Add(Column(rows, r => r.ChargedUserId, NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => TextValue.Clip(r.Event.Message.PolicyId, 64), NpgsqlDbType.Varchar));
        p.Add(Column(rows, r => JsonbText.AsJsonObject(r.Event.Message.PiiEntities), NpgsqlDbType.Jsonb));
        p.Add(Column(rows, r => r.Event.Message.Cached, NpgsqlDbType.Boolean));
    }

    /// <summary>The rows of <see cref="AddColumns"/>, unnested, as <c>events</c> columns (tags from a JSON array to text[]; not applied yet).</summary>
    public const string UnnestSql = """
        SELECT c1, c2, ARRAY(SELECT jsonb_array_elements_text(c3)), c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16,
            c17, c18, c19, c20, c21, c22, c23, c24, c25, c26, c27, c28, c29, false, c30, c31, c32
        FROM unnest($1::varchar[], $2::bigint[], $3::jsonb[], $4::varchar[], $5::numeric[], $6::varchar[], $7::varchar[],
            $8::int[], $9::int[], $10::int[], $11::int[], $12::varchar[], $13::varchar[], $14::varchar[], $15::jsonb[],
            $16::jsonb[], $17::varchar[], $18::varchar[], $19::varchar[], $20::varchar[], $21::jsonb[], $22::numeric[],
            $23::numeric[], $24::numeric[], $25::numeric[], $26::numeric[], $27::boolean[], $28::boolean[], $29::varchar[],
            $30::varchar[], $31::jsonb[], $32::boolean[])
            AS u(c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11, c12, c13, c14, c15, c16, c17, c18, c19, c20, c21, c22, c23,
                c24, c25, c26, c27, c28, c29, c30, c31, c32)
        """;

    private static NpgsqlParameter Column<T>(IReadOnlyList<UsageEventRow> rows, Func<UsageEventRow, T> value, NpgsqlDbType type)
    {
        var values = new T[rows.Count];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = value(rows[i]);
        }

        return new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };
    }
}
