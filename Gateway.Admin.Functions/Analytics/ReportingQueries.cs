using System.Text;
using Gateway.Domain.Keys;
using Gateway.Domain.Persistence;
using Gateway.Domain.Usage;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// The aggregating queries, in SQL because LINQ has no <c>generate_series</c>, ordered-set
/// aggregates (<c>percentile_cont</c>) or FULL JOIN. PostgreSQL does the work; only aggregated
/// rows come back. Every value is a parameter; the only text spliced in are the constant column
/// names and sort keywords below, chosen from enums.
/// </summary>
internal static class ReportingQueries
{
    private const string Events = UsageEventEntityConfiguration.Table;
    private const string Keys = ApiKeyEntityConfiguration.Table;

    /// <summary>Data points and latency percentiles of one reporting request, in one connection.</summary>
    public static async Task<ReportingResponse> ReportAsync(GatewayDbContext db, ReportingQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (NpgsqlConnection)db.Database.GetDbConnection();
            var points = await ReadDataPointsAsync(connection, query, cancellationToken);
            var (median, p99) = await ReadLatencyPercentilesAsync(connection, query.Filter, cancellationToken);
            return new ReportingResponse(points, median, p99);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Keys by spend in [start, end); see <c>Analytics/README.md</c> for which keys are listed.</summary>
    public static async Task<List<KeyDataPoint>> TopKeysAsync(GatewayDbContext db, TopKeysQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = ((NpgsqlConnection)db.Database.GetDbConnection()).CreateCommand();
            var parameters = command.Parameters;
            parameters.Add(new NpgsqlParameter<long>("start", query.Start));
            parameters.Add(new NpgsqlParameter<long>("end", query.End));
            parameters.Add(new NpgsqlParameter("limit", NpgsqlDbType.Bigint) { Value = query.Limit is { } limit ? limit : DBNull.Value });
            parameters.Add(new NpgsqlParameter<long>("offset", query.Offset));

            var spendWhere = new StringBuilder("created_at >= @start AND created_at < @end AND key_id <> ''");
            var keyWhere = new StringBuilder("created_at < @end");
            if (query.KeyIds.Length > 0)
            {
                parameters.Add(new NpgsqlParameter<string[]>("keyIds", query.KeyIds));
                spendWhere.Append(" AND key_id = ANY(@keyIds)");
                keyWhere.Append(" AND key_id = ANY(@keyIds)");
            }

            if (query.Tags.Length > 0)
            {
                parameters.Add(new NpgsqlParameter<string[]>("tags", query.Tags));
                keyWhere.Append(" AND tags @> @tags");
            }

            if (query.Name is not null)
            {
                // strpos, not LIKE: a '%' or '_' in the name is a character, not a wildcard.
                parameters.Add(new NpgsqlParameter<string>("name", query.Name));
                keyWhere.Append(" AND strpos(lower(name), lower(@name)) > 0");
            }

            if (query.Revoked is { } revoked)
            {
                parameters.Add(new NpgsqlParameter<bool>("revoked", revoked));
                keyWhere.Append(" AND revoked = @revoked");
            }

            // Without key-row filters a FULL JOIN keeps the spend of keys deleted since; with them,
            // only existing keys can match.
            var join = query.FiltersOnKeyRows ? "LEFT JOIN" : "FULL JOIN";
            var direction = query.Order == SortOrder.Ascending ? "ASC" : "DESC";
            command.CommandText = $"""
                WITH spend AS (
                    SELECT key_id, sum(cost_in_usd) AS cost
                    FROM {Events}
                    WHERE {spendWhere}
                    GROUP BY key_id
                ), candidates AS (
                    SELECT key_id FROM {Keys} WHERE {keyWhere}
                )
                SELECT coalesce(c.key_id, s.key_id), coalesce(s.cost, 0)
                FROM candidates c {join} spend s ON s.key_id = c.key_id
                ORDER BY 2 {direction}, 1
                LIMIT @limit OFFSET @offset
                """;

            var rows = new List<KeyDataPoint>();
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(new KeyDataPoint(reader.GetString(0), (double)reader.GetDecimal(1)));
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static async Task<List<DataPoint>> ReadDataPointsAsync(NpgsqlConnection connection, ReportingQuery query, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var where = Where(query.Filter, command.Parameters);
        command.Parameters.Add(new NpgsqlParameter<long>("origin", query.Origin));
        command.Parameters.Add(new NpgsqlParameter<long>("last", query.LastBucket));
        command.Parameters.Add(new NpgsqlParameter<long>("increment", query.Increment));

        var columns = query.GroupBy.Select(Column).ToArray();
        var eventColumns = string.Concat(columns.Select(c => ", " + c));
        var groupColumns = string.Concat(columns.Select(c => ", ev." + c));

        // Equality on a computed bucket lets PostgreSQL hash-join the series with the events, where
        // BricksLLM's range join compared every bucket with every event. Empty buckets still appear
        // (LEFT JOIN), with null group columns.
        command.CommandText = $"""
            WITH ev AS (
                SELECT @origin + (created_at - @origin) / @increment * @increment AS bucket,
                       cost_in_usd, latency_in_ms, prompt_token_count, completion_token_count, status_code{eventColumns}
                FROM {Events}
                WHERE {where}
            )
            SELECT s.bucket,
                   count(ev.bucket),
                   coalesce(sum(ev.cost_in_usd), 0),
                   coalesce(sum(ev.latency_in_ms), 0),
                   coalesce(sum(ev.prompt_token_count), 0),
                   coalesce(sum(ev.completion_token_count), 0),
                   count(*) FILTER (WHERE ev.status_code BETWEEN 200 AND 299){groupColumns}
            FROM generate_series(@origin, @last, @increment) AS s(bucket)
            LEFT JOIN ev ON ev.bucket = s.bucket
            GROUP BY s.bucket{groupColumns}
            ORDER BY s.bucket{groupColumns}
            """;

        var points = new List<DataPoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            string? Group(ReportingGroup group)
            {
                var index = Array.IndexOf(query.GroupBy, group);
                return index < 0 ? null : reader.IsDBNull(7 + index) ? string.Empty : reader.GetString(7 + index);
            }

            points.Add(new DataPoint
            {
                TimeStamp = reader.GetInt64(0),
                NumberOfRequests = reader.GetInt64(1),
                CostInUsd = (double)reader.GetDecimal(2),
                LatencyInMs = reader.GetInt64(3),
                PromptTokenCount = reader.GetInt64(4),
                CompletionTokenCount = reader.GetInt64(5),
                SuccessCount = reader.GetInt64(6),
                Model = Group(ReportingGroup.Model),
                KeyId = Group(ReportingGroup.KeyId),
                CustomId = Group(ReportingGroup.CustomId),
                UserId = Group(ReportingGroup.UserId),
                Provider = Group(ReportingGroup.Provider),
                Cached = Group(ReportingGroup.Cached) is { Length: > 0 } cached ? cached == "true" : null,
            });
        }

        return points;
    }

    /// <summary>
    /// <c>percentile_cont</c> (linear interpolation between the two nearest ranks), BricksLLM's
    /// choice, over the same events as the data points; 0 when there are none.
    /// </summary>
    private static async Task<(double Median, double P99)> ReadLatencyPercentilesAsync(NpgsqlConnection connection, EventFilter filter, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        var where = Where(filter, command.Parameters);
        command.CommandText = $"""
            SELECT coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_in_ms), 0),
                   coalesce(percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_in_ms), 0)
            FROM {Events}
            WHERE {where}
            """;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return (reader.GetDouble(0), reader.GetDouble(1));
    }

    private static string Where(EventFilter filter, NpgsqlParameterCollection parameters)
    {
        parameters.Add(new NpgsqlParameter<long>("start", filter.Start));
        parameters.Add(new NpgsqlParameter<long>("end", filter.End));
        var where = new StringBuilder("created_at >= @start AND created_at < @end");
        AnyOf(where, parameters, "key_id", "keyIds", filter.KeyIds);
        AnyOf(where, parameters, "custom_id", "customIds", filter.CustomIds);
        AnyOf(where, parameters, "user_id", "userIds", filter.UserIds);
        if (filter.Tags.Length > 0)
        {
            parameters.Add(new NpgsqlParameter<string[]>("tags", filter.Tags));
            where.Append(" AND tags @> @tags");
        }

        return where.ToString();
    }

    private static void AnyOf(StringBuilder where, NpgsqlParameterCollection parameters, string column, string name, string[] values)
    {
        if (values.Length > 0)
        {
            parameters.Add(new NpgsqlParameter<string[]>(name, values));
            where.Append(" AND ").Append(column).Append(" = ANY(@").Append(name).Append(')');
        }
    }

    private static string Column(ReportingGroup group) => group switch
    {
        ReportingGroup.Model => "model",
        ReportingGroup.KeyId => "key_id",
        ReportingGroup.CustomId => "custom_id",
        ReportingGroup.UserId => "user_id",
        ReportingGroup.Provider => "provider",

        // As text, like the other group columns; the cast keeps the column's name in the CTE.
        ReportingGroup.Cached => "cached::text",
        _ => throw new ArgumentOutOfRangeException(nameof(group), group, null),
    };
}
