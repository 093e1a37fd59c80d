namespace Gateway.Admin.Functions.Analytics;

/// <summary>A validated <see cref="TopKeysRequest"/>; <see cref="Limit"/> null means all rows.</summary>
internal sealed record TopKeysQuery(long Start, long End, string[] Tags, string[] KeyIds, string? Name, bool? Revoked, SortOrder Order, int? Limit, int Offset)
{
    public static readonly IReadOnlyDictionary<string, string> FieldTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["tags"] = "an array of strings",
        ["keyIds"] = "an array of strings",
        ["order"] = "a string (asc or desc)",
        ["start"] = "an integer (unix seconds)",
        ["end"] = "an integer (unix seconds)",
        ["limit"] = "an integer",
        ["offset"] = "an integer",
        ["name"] = "a string",
        ["revoked"] = "a boolean",
    };

    /// <summary>Key-table filters: with any of them, only keys that still exist can match.</summary>
    public bool FiltersOnKeyRows => Tags.Length > 0 || !string.IsNullOrEmpty(Name) || Revoked is not null;

    public static TopKeysQuery? From(TopKeysRequest request, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var start = errors.RequireTimestamp("start", request.Start);
        var end = errors.RequireTimestamp("end", request.End);
        errors.CheckRange(start, end, endInclusive: false);
        var order = errors.Order("order", request.Order) ?? SortOrder.Descending;
        var limit = errors.NonNegative("limit", request.Limit);
        var offset = errors.NonNegative("offset", request.Offset);
        var tags = errors.NonEmpty("tags", request.Tags);
        var keyIds = errors.NonEmpty("keyIds", request.KeyIds);
        return errors.Any
            ? null
            : new TopKeysQuery(start, end, tags, keyIds, string.IsNullOrEmpty(request.Name) ? null : request.Name, request.Revoked, order, limit == 0 ? null : limit, offset);
    }
}
