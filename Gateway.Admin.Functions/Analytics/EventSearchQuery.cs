namespace Gateway.Admin.Functions.Analytics;

/// <summary>A validated <see cref="EventSearchRequest"/>; <see cref="Limit"/> null means all rows.</summary>
internal sealed record EventSearchQuery(
    long Start,
    long End,
    string[] UserIds,
    string[] CustomIds,
    string[] KeyIds,
    string[] Tags,
    string[] PolicyIds,
    string[] Actions,
    int? Status,
    EventSearchQuery.SortBy Sort,
    SortOrder Order,
    int? Limit,
    int Offset,
    bool ReturnCount,
    string[] Models)
{
    public enum SortBy
    {
        Date,
        Cost,
    }

    /// <summary>BricksLLM accepts these four; <c>redacted</c> came with policy redaction.</summary>
    public static readonly IReadOnlySet<string> KnownActions = new HashSet<string>(StringComparer.Ordinal) { "allowed", "blocked", "warned", "redacted" };

    public static readonly IReadOnlyDictionary<string, string> FieldTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["userIds"] = "an array of strings",
        ["customIds"] = "an array of strings",
        ["keyIds"] = "an array of strings",
        ["tags"] = "an array of strings",
        ["policyIds"] = "an array of strings",
        ["actions"] = "an array of strings (allowed, blocked, warned, redacted)",
        ["start"] = "an integer (unix seconds)",
        ["end"] = "an integer (unix seconds)",
        ["limit"] = "an integer",
        ["offset"] = "an integer",
        ["costOrder"] = "a string (asc or desc)",
        ["dateOrder"] = "a string (asc or desc)",
        ["returnCount"] = "a boolean",
        ["status"] = "an integer (HTTP status code)",
        ["models"] = "an array of strings",
    };

    public static EventSearchQuery? From(EventSearchRequest request, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var start = errors.RequireTimestamp("start", request.Start);
        var end = errors.RequireTimestamp("end", request.End);
        errors.CheckRange(start, end, endInclusive: false);

        var costOrder = errors.Order("costOrder", request.CostOrder);
        var dateOrder = errors.Order("dateOrder", request.DateOrder);
        if (costOrder is not null && dateOrder is not null)
        {
            errors.Add("costOrder and dateOrder cannot both be given");
        }

        var actions = errors.NonEmpty("actions", request.Actions);
        foreach (var action in actions.Where(a => !KnownActions.Contains(a)))
        {
            errors.Add($"actions: '{action}' is not one of allowed, blocked, warned, redacted");
        }

        int? status = request.Status is null or 0 ? null : request.Status;
        if (status is < 100 or > 599)
        {
            errors.Add($"status must be an HTTP status code (100-599), got {status}");
        }

        var limit = errors.NonNegative("limit", request.Limit);
        var offset = errors.NonNegative("offset", request.Offset);
        var query = new EventSearchQuery(
            start,
            end,
            errors.NonEmpty("userIds", request.UserIds),
            errors.NonEmpty("customIds", request.CustomIds),
            errors.NonEmpty("keyIds", request.KeyIds),
            errors.NonEmpty("tags", request.Tags),
            errors.NonEmpty("policyIds", request.PolicyIds),
            actions,
            status,
            costOrder is null ? SortBy.Date : SortBy.Cost,
            costOrder ?? dateOrder ?? SortOrder.Descending,
            limit == 0 ? null : limit,
            offset,
            request.ReturnCount ?? false,
            errors.NonEmpty("models", request.Models));
        return errors.Any ? null : query;
    }
}
