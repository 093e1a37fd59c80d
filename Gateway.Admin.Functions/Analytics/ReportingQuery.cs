namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// A validated reporting request. Bucket <c>k</c> starts at <c>Origin + k * Increment</c> and holds
/// the events with <c>created_at</c> in [that, that + Increment) ∩ [Start, End); buckets run from
/// <see cref="Origin"/> to <see cref="LastBucket"/>, the last one whose start is before <c>End</c>.
/// </summary>
internal sealed record ReportingQuery(EventFilter Filter, long Origin, long Increment, ReportingGroup[] GroupBy)
{
    /// <summary>Bounds the generated series: 100 000 buckets is a year by the 5 minutes or 11 years by the hour.</summary>
    public const long MaxBuckets = 100_000;

    public const long SecondsPerDay = 86_400;

    public long LastBucket => Origin + ((Filter.End - 1 - Origin) / Increment * Increment);

    public static readonly IReadOnlyDictionary<string, string> FieldTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["keyIds"] = "an array of strings",
        ["tags"] = "an array of strings",
        ["customIds"] = "an array of strings",
        ["userIds"] = "an array of strings",
        ["filters"] = "an array of strings (model, keyId, customId, userId, provider)",
        ["start"] = "an integer (unix seconds)",
        ["end"] = "an integer (unix seconds)",
        ["increment"] = "an integer (seconds)",
    };

    /// <summary>
    /// Validates <paramref name="request"/>. <paramref name="byDay"/>: buckets are UTC days
    /// (origin at midnight before <c>start</c>) and <c>increment</c> is ignored.
    /// </summary>
    public static ReportingQuery? From(ReportingRequest request, bool byDay, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(errors);
        var start = errors.RequireTimestamp("start", request.Start);
        var end = errors.RequireTimestamp("end", request.End);
        errors.CheckRange(start, end, endInclusive: false);

        var increment = SecondsPerDay;
        if (!byDay)
        {
            if (request.Increment is not { } given)
            {
                errors.Add("increment is required (seconds, greater than 0)");
            }
            else if (given <= 0)
            {
                errors.Add($"increment must be greater than 0 seconds, got {given}");
            }
            else
            {
                increment = given;
            }
        }

        var groups = new List<ReportingGroup>();
        foreach (var filter in errors.NonEmpty("filters", request.Filters))
        {
            ReportingGroup? group = filter switch
            {
                "model" => ReportingGroup.Model,
                "keyId" => ReportingGroup.KeyId,
                "customId" => ReportingGroup.CustomId,
                "userId" => ReportingGroup.UserId,
                "provider" => ReportingGroup.Provider,
                "cached" => ReportingGroup.Cached,
                _ => null,
            };
            if (group is null)
            {
                errors.Add($"filters: '{filter}' is not one of model, keyId, customId, userId, provider, cached");
            }
            else if (!groups.Contains(group.Value))
            {
                groups.Add(group.Value);
            }
        }

        var eventFilter = new EventFilter(
            start,
            end,
            errors.NonEmpty("keyIds", request.KeyIds),
            errors.NonEmpty("tags", request.Tags),
            errors.NonEmpty("customIds", request.CustomIds),
            errors.NonEmpty("userIds", request.UserIds));

        if (errors.Any)
        {
            return null;
        }

        var origin = byDay ? start - (start % SecondsPerDay) : start;
        var query = new ReportingQuery(eventFilter, origin, increment, [.. groups]);
        var buckets = ((query.LastBucket - origin) / increment) + 1;
        if (buckets > MaxBuckets)
        {
            errors.Add(byDay
                ? $"the range spans {buckets} days; at most {MaxBuckets} are allowed"
                : $"increment {increment} splits the range into {buckets} buckets; at most {MaxBuckets} are allowed");
            return null;
        }

        return query;
    }
}
