using Gateway.Admin.Functions.Http;
using Gateway.Domain.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// BricksLLM's analytics API over the events ledger: event listings and reporting. Read-only;
/// every aggregate is computed by PostgreSQL. Definitions (ranges, buckets, percentiles) are in
/// <c>Analytics/README.md</c>.
/// </summary>
internal static class AnalyticsEndpoints
{
    public static IEndpointRouteBuilder MapAnalytics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapGet("/api/events", ListEventsAsync)
            .WithTags("Analytics")
            .Produces<List<EventBody>>(StatusCodes.Status200OK, "application/json")
            .WithSummary("List events by customId, userId or keyIds")
            .WithDescription("At least one of `customId`, `userId` or `keyIds` (repeated, or `keyIds[]`) is required; with `keyIds`, `start` and `end` (unix seconds, both inclusive) are required too. Filters combine with AND; oldest first.");
        endpoints.MapPost("/api/v2/events", SearchEventsAsync)
            .WithTags("Analytics")
            .DocumentsJsonBody<EventSearchRequest>()
            .Produces<EventSearchResponseDoc>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Search events")
            .WithDescription("`start` and `end` (unix seconds, [start, end)) are required; list filters match any of their values, `tags` must all be present. `costOrder` or `dateOrder` (not both) sorts, newest first by default; `limit` 0 means all. `count` counts every match before paging when `returnCount` is true.");

        var reporting = endpoints.MapGroup("/api/reporting").WithTags("Analytics");
        reporting.MapPost("/events", static (HttpContext context, GatewayDbContext db) => ReportAsync(context, db, byDay: false))
            .DocumentsJsonBody<ReportingRequest>()
            .Produces<ReportingResponse>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Event data points by time bucket")
            .WithDescription("Buckets of `increment` seconds from `start`, over events in [start, end); empty buckets are included. `filters` groups each bucket by `model`, `keyId`, `customId` and/or `userId`. The latency median and 99th percentile are PostgreSQL `percentile_cont` over the same events.");
        reporting.MapPost("/events-by-day", static (HttpContext context, GatewayDbContext db) => ReportAsync(context, db, byDay: true))
            .DocumentsJsonBody<ReportingRequest>()
            .Produces<ReportingResponse>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Event data points by UTC day")
            .WithDescription("As `/api/reporting/events`, with one bucket per UTC day (time stamps at midnight UTC); `increment` is ignored.");
        reporting.MapPost("/top-keys", TopKeysAsync)
            .DocumentsJsonBody<TopKeysRequest>()
            .Produces<TopKeysResponse>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Keys ranked by spend")
            .WithDescription("Spend in [start, end) per key, `desc` by default. Lists the keys created before `end` that match `tags`, `keyIds`, `name` (case-insensitive substring) and `revoked`, with 0 when they spent nothing; `limit` 0 means all.");
        reporting.MapGet("/keys/{id}", KeySpendAsync)
            .Produces<KeySpend>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Total spend of a key")
            .WithDescription("The sum of the key's event costs, in whole micro-dollars (rounded down).");
        reporting.MapGet("/custom-ids", static (HttpContext context, GatewayDbContext db) => DistinctIdsAsync(context, db, EventQueries.CustomIdsAsync))
            .Produces<List<string>>(StatusCodes.Status200OK, "application/json")
            .WithSummary("Custom ids seen on a key's events")
            .WithDescription("The `keyId` query parameter is required.");
        reporting.MapGet("/user-ids", static (HttpContext context, GatewayDbContext db) => DistinctIdsAsync(context, db, EventQueries.UserIdsAsync))
            .Produces<List<string>>(StatusCodes.Status200OK, "application/json")
            .WithSummary("User ids seen on a key's events")
            .WithDescription("The `keyId` query parameter is required.");
        return endpoints;
    }

    /// <summary><c>GET /api/events?customId=&amp;userId=&amp;keyIds=&amp;start=&amp;end=</c></summary>
    internal static Results<PushStreamHttpResult, ProblemHttpResult> ListEventsAsync(HttpContext context, GatewayDbContext db)
    {
        var query = context.Request.Query;
        var errors = new ValidationErrors();
        var customId = NullIfEmpty(AnalyticsInput.QueryValue(query, "customId", errors));
        var userId = NullIfEmpty(AnalyticsInput.QueryValue(query, "userId", errors));
        var keyIds = errors.NonEmpty("keyIds", AnalyticsInput.QueryArray(query, "keyIds"));
        var start = AnalyticsInput.QueryLong(query, "start", errors);
        var end = AnalyticsInput.QueryLong(query, "end", errors);
        if (customId is null && userId is null && keyIds.Length == 0 && !errors.Any)
        {
            errors.AddMissingFilter("one of customId, userId or keyIds is required");
        }

        if (keyIds.Length > 0)
        {
            _ = errors.RequireTimestamp("start", start);
            _ = errors.RequireTimestamp("end", end);
        }
        else
        {
            // Without keyIds BricksLLM ignores the range; we apply it when given.
            CheckOptionalTimestamp(errors, "start", start);
            CheckOptionalTimestamp(errors, "end", end);
        }

        if (start is { } from && end is { } to)
        {
            errors.CheckRange(from, to, endInclusive: true);
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var events = EventQueries.List(db, customId, userId, keyIds, start, end).Select(EventBody.FromEvent).AsAsyncEnumerable();
        var aborted = context.RequestAborted;
        return TypedResults.Stream(body => EventStream.WriteArrayAsync(body, events, aborted), EventStream.ContentType);
    }

    /// <summary><c>POST /api/v2/events</c> → <c>{events, count}</c></summary>
    internal static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> SearchEventsAsync(HttpContext context, GatewayDbContext db)
    {
        var body = await AnalyticsInput.ReadBodyAsync(context, AnalyticsJsonContext.Default.EventSearchRequest, EventSearchQuery.FieldTypes);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        var query = EventSearchQuery.From(body.Value!, errors);
        if (query is null)
        {
            return errors.ToProblem(context);
        }

        var aborted = context.RequestAborted;
        var matching = EventQueries.Search(db, query);
        var count = query.ReturnCount ? await matching.LongCountAsync(aborted) : 0;
        var events = EventQueries.Page(matching, query).Select(EventBody.FromEvent).AsAsyncEnumerable();
        return TypedResults.Stream(stream => EventStream.WriteSearchAsync(stream, events, count, aborted), EventStream.ContentType);
    }

    /// <summary><c>POST /api/reporting/events</c> and <c>/events-by-day</c></summary>
    internal static async Task<Results<JsonHttpResult<ReportingResponse>, ProblemHttpResult>> ReportAsync(HttpContext context, GatewayDbContext db, bool byDay)
    {
        var body = await AnalyticsInput.ReadBodyAsync(context, AnalyticsJsonContext.Default.ReportingRequest, ReportingQuery.FieldTypes);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        var query = ReportingQuery.From(body.Value!, byDay, errors);
        if (query is null)
        {
            return errors.ToProblem(context);
        }

        var report = await ReportingQueries.ReportAsync(db, query, context.RequestAborted);
        return TypedResults.Json(report, AnalyticsJsonContext.Default.ReportingResponse);
    }

    /// <summary><c>POST /api/reporting/top-keys</c> → <c>{dataPoints: [{keyId, costInUsd}]}</c></summary>
    internal static async Task<Results<JsonHttpResult<TopKeysResponse>, ProblemHttpResult>> TopKeysAsync(HttpContext context, GatewayDbContext db)
    {
        var body = await AnalyticsInput.ReadBodyAsync(context, AnalyticsJsonContext.Default.TopKeysRequest, TopKeysQuery.FieldTypes);
        if (body.Problem is not null)
        {
            return body.Problem;
        }

        var errors = new ValidationErrors();
        var query = TopKeysQuery.From(body.Value!, errors);
        if (query is null)
        {
            return errors.ToProblem(context);
        }

        var points = await ReportingQueries.TopKeysAsync(db, query, context.RequestAborted);
        return TypedResults.Json(new TopKeysResponse(points), AnalyticsJsonContext.Default.TopKeysResponse);
    }

    /// <summary><c>GET /api/reporting/keys/{id}</c> → <c>{id, costInMicroDollars}</c></summary>
    internal static async Task<Results<JsonHttpResult<KeySpend>, ProblemHttpResult>> KeySpendAsync(HttpContext context, GatewayDbContext db, string id)
    {
        var micros = await EventQueries.SpendInMicroDollarsAsync(db, id, context.RequestAborted);
        return micros is { } value
            ? TypedResults.Json(new KeySpend(id, value), AnalyticsJsonContext.Default.KeySpend)
            : AdminProblem.NotFoundResult(context, $"key {id} is not found");
    }

    /// <summary><c>GET /api/reporting/custom-ids?keyId=</c> and <c>/user-ids?keyId=</c> → <c>string[]</c></summary>
    internal static async Task<Results<JsonHttpResult<List<string>>, ProblemHttpResult>> DistinctIdsAsync(
        HttpContext context,
        GatewayDbContext db,
        Func<GatewayDbContext, string, CancellationToken, Task<List<string>>> read)
    {
        var errors = new ValidationErrors();
        var keyId = NullIfEmpty(AnalyticsInput.QueryValue(context.Request.Query, "keyId", errors));
        if (keyId is null && !errors.Any)
        {
            errors.AddMissingFilter("the keyId query parameter is required");
        }

        if (errors.Any)
        {
            return errors.ToProblem(context);
        }

        var ids = await read(db, keyId!, context.RequestAborted);
        return TypedResults.Json(ids, AnalyticsJsonContext.Default.ListString);
    }

    private static void CheckOptionalTimestamp(ValidationErrors errors, string field, long? value)
    {
        if (value is { } given)
        {
            errors.CheckTimestamp(field, given);
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
