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
    /// <summary>Parameters per row, in the order of <c>UsageEventStore</c>'s column list.</summary>
    public const int ParameterCount = 29;

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

    public void AddParameters(NpgsqlParameterCollection p)
    {
        ArgumentNullException.ThrowIfNull(p);
        var message = Event.Message;
        var cost = Event.Cost;
        p.Add(new NpgsqlParameter { Value = TextValue.Clip(message.EventId, 64)!, NpgsqlDbType = NpgsqlDbType.Varchar });
        p.Add(new NpgsqlParameter { Value = CreatedAt, NpgsqlDbType = NpgsqlDbType.Bigint });
        p.Add(new NpgsqlParameter { Value = (message.Tags ?? []).Select(t => TextValue.Clip(t, int.MaxValue) ?? string.Empty).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        p.Add(Text(KeyId));
        p.Add(Number(cost.Total));
        p.Add(Text(TextValue.Clip(message.Provider, 128) ?? string.Empty));
        p.Add(Text(TextValue.Clip(message.Model, 256) ?? string.Empty));
        p.Add(Integer(message.Status));
        p.Add(Integer(cost.PromptTokens));
        p.Add(Integer(cost.CompletionTokens));
        p.Add(Integer(message.LatencyMs));
        p.Add(Text(TextValue.Clip(message.Path, 1024) ?? string.Empty));
        p.Add(Text(TextValue.Clip(message.Method, 16) ?? string.Empty));
        p.Add(Text(TextValue.Clip(message.CustomId, 256)));
        p.Add(Jsonb(Request));
        p.Add(Jsonb(Response));
        p.Add(Text(TextValue.Clip(message.UserId, 256)));
        p.Add(Text(TextValue.Clip(message.Action, 16)));
        p.Add(Text(TextValue.Clip(message.RouteId, 64)));
        p.Add(Text(TextValue.Clip(message.CorrelationId, 128)));
        p.Add(Jsonb(Metadata));
        p.Add(Number(cost.Prompt));
        p.Add(Number(cost.CachedPrompt));
        p.Add(Number(cost.Completion));
        p.Add(Number(cost.CacheWrite));
        p.Add(Number(cost.CacheRead));
        p.Add(new NpgsqlParameter { Value = cost.Estimated, NpgsqlDbType = NpgsqlDbType.Boolean });
        p.Add(new NpgsqlParameter { Value = cost.UnknownModel, NpgsqlDbType = NpgsqlDbType.Boolean });
        p.Add(Text(ChargedUserId));
    }

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Varchar, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Jsonb(string? json) => new() { NpgsqlDbType = NpgsqlDbType.Jsonb, Value = (object?)json ?? DBNull.Value };

    private static NpgsqlParameter Number(decimal value) => new() { NpgsqlDbType = NpgsqlDbType.Numeric, Value = value };

    private static NpgsqlParameter Integer(int value) => new() { NpgsqlDbType = NpgsqlDbType.Integer, Value = value };
}
