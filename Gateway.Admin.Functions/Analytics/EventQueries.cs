using Gateway.Domain.Persistence;
using Gateway.Domain.Usage;
using Microsoft.EntityFrameworkCore;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>Event listings and per-key lookups: plain filters, so EF LINQ translates them whole.</summary>
internal static class EventQueries
{
    /// <summary>
    /// <c>GET /api/events</c>: every given filter must match. The range is inclusive of <paramref name="end"/>,
    /// as in BricksLLM's <c>GetEvents</c>. Oldest first; BricksLLM left the order to the table scan.
    /// </summary>
    public static IQueryable<UsageEvent> List(GatewayDbContext db, string? customId, string? userId, string[] keyIds, long? start, long? end)
    {
        ArgumentNullException.ThrowIfNull(db);
        var events = db.Events.AsNoTracking();
        if (customId is not null)
        {
            events = events.Where(e => e.CustomId == customId);
        }

        if (userId is not null)
        {
            events = events.Where(e => e.UserId == userId);
        }

        if (keyIds.Length > 0)
        {
            events = events.Where(e => keyIds.Contains(e.KeyId));
        }

        if (start is { } from)
        {
            events = events.Where(e => e.CreatedAt >= from);
        }

        if (end is { } to)
        {
            events = events.Where(e => e.CreatedAt <= to);
        }

        return events.OrderBy(e => e.CreatedAt).ThenBy(e => e.EventId);
    }

    /// <summary><c>POST /api/v2/events</c> without order and paging: what <c>count</c> counts.</summary>
    public static IQueryable<UsageEvent> Search(GatewayDbContext db, EventSearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(query);
        var (start, end) = (query.Start, query.End);
        var events = db.Events.AsNoTracking().Where(e => e.CreatedAt >= start && e.CreatedAt < end);
        if (query.UserIds.Length > 0)
        {
            var userIds = query.UserIds;
            events = events.Where(e => userIds.Contains(e.UserId!));
        }

        if (query.CustomIds.Length > 0)
        {
            var customIds = query.CustomIds;
            events = events.Where(e => customIds.Contains(e.CustomId!));
        }

        if (query.KeyIds.Length > 0)
        {
            var keyIds = query.KeyIds;
            events = events.Where(e => keyIds.Contains(e.KeyId));
        }

        if (query.Tags.Length > 0)
        {
            // Translated by Npgsql to "tags @> @tags": the event carries every requested tag.
            var tags = query.Tags;
            events = events.Where(e => tags.All(t => e.Tags.Contains(t)));
        }

        if (query.Models.Length > 0)
        {
            var models = query.Models;
            events = events.Where(e => models.Contains(e.Model));
        }

        if (query.PolicyIds.Length > 0)
        {
            var policyIds = query.PolicyIds;
            events = events.Where(e => policyIds.Contains(e.PolicyId!));
        }

        if (query.Actions.Length > 0)
        {
            var actions = query.Actions;
            events = events.Where(e => actions.Contains(e.Action!));
        }

        if (query.Status is { } status)
        {
            events = events.Where(e => e.StatusCode == status);
        }

        return events;
    }

    /// <summary>
    /// Orders and pages a search. Ties break on the other sort column, then the event id, so that
    /// pages neither repeat nor skip rows. Without an order, newest first.
    /// </summary>
    public static IQueryable<UsageEvent> Page(IQueryable<UsageEvent> events, EventSearchQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var ordered = (query.Sort, query.Order) switch
        {
            (EventSearchQuery.SortBy.Cost, SortOrder.Ascending) => events.OrderBy(e => e.CostInUsd).ThenByDescending(e => e.CreatedAt),
            (EventSearchQuery.SortBy.Cost, _) => events.OrderByDescending(e => e.CostInUsd).ThenByDescending(e => e.CreatedAt),
            (_, SortOrder.Ascending) => events.OrderBy(e => e.CreatedAt),
            _ => events.OrderByDescending(e => e.CreatedAt),
        };
        IQueryable<UsageEvent> paged = ordered.ThenBy(e => e.EventId);
        if (query.Offset > 0)
        {
            paged = paged.Skip(query.Offset);
        }

        return query.Limit is { } limit ? paged.Take(limit) : paged;
    }

    /// <summary>Distinct non-empty custom ids of a key's events, sorted.</summary>
    public static Task<List<string>> CustomIdsAsync(GatewayDbContext db, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Events
            .Where(e => e.KeyId == keyId && e.CustomId != null && e.CustomId != string.Empty)
            .Select(e => e.CustomId!)
            .Distinct()
            .OrderBy(id => id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>Distinct non-empty user ids of a key's events, sorted.</summary>
    public static Task<List<string>> UserIdsAsync(GatewayDbContext db, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Events
            .Where(e => e.KeyId == keyId && e.UserId != null && e.UserId != string.Empty)
            .Select(e => e.UserId!)
            .Distinct()
            .OrderBy(id => id)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// A key's total spend from the events ledger, in whole micro-dollars (rounded down once, on the
    /// exact sum); null when the key does not exist.
    /// </summary>
    public static async Task<long?> SpendInMicroDollarsAsync(GatewayDbContext db, string keyId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!await db.Keys.AnyAsync(k => k.KeyId == keyId, cancellationToken))
        {
            return null;
        }

        var usd = await db.Events.Where(e => e.KeyId == keyId).SumAsync(e => e.CostInUsd, cancellationToken);
        return (long)decimal.Floor(usd * 1_000_000m);
    }
}
