using Gateway.Admin.Functions.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// Collects every problem with a request, each naming its field, so one 400 tells the caller all
/// of them (BricksLLM's v2 validation lists all invalid fields the same way).
/// </summary>
internal sealed class ValidationErrors
{
    /// <summary>Year 9999. A larger "unix seconds" value is almost always milliseconds.</summary>
    public const long MaxUnixSeconds = 253_402_300_799;

    private readonly List<string> _errors = [];

    public bool Any => _errors.Count > 0;

    /// <summary>Set when a required filter is missing: answered as <c>/errors/missing-filteres</c>.</summary>
    public bool MissingFilter { get; private set; }

    public void Add(string error) => _errors.Add(error);

    public void AddMissingFilter(string error)
    {
        MissingFilter = true;
        _errors.Add(error);
    }

    public ProblemHttpResult ToProblem(HttpContext context)
        => AdminProblem.BadRequest(context, string.Join("; ", _errors), MissingFilter ? AdminProblem.MissingFilters : AdminProblem.Validation);

    /// <summary>A required unix-seconds value: present, positive, and not milliseconds.</summary>
    public long RequireTimestamp(string field, long? value)
    {
        if (value is null)
        {
            Add($"{field} is required (unix seconds)");
            return 0;
        }

        CheckTimestamp(field, value.Value);
        return value.Value;
    }

    public void CheckTimestamp(string field, long value)
    {
        if (value <= 0)
        {
            Add($"{field} must be a positive unix timestamp in seconds, got {value}");
        }
        else if (value > MaxUnixSeconds)
        {
            Add($"{field} must be a unix timestamp in seconds (at most {MaxUnixSeconds}), got {value}");
        }
    }

    /// <summary>
    /// <paramref name="endInclusive"/>: <c>start == end</c> is a one-second range rather than an empty one.
    /// </summary>
    public void CheckRange(long start, long end, bool endInclusive)
    {
        var ordered = start > 0 && end > 0 && (endInclusive ? start <= end : start < end);
        if (!ordered && start > 0 && end > 0)
        {
            Add(endInclusive
                ? $"start ({start}) must not be after end ({end})"
                : $"start ({start}) must be before end ({end})");
        }
    }

    /// <summary>The list without nulls; a null or empty element is an error naming the field.</summary>
    public string[] NonEmpty(string field, IReadOnlyCollection<string?>? values)
    {
        if (values is null || values.Count == 0)
        {
            return [];
        }

        if (values.Any(string.IsNullOrEmpty))
        {
            Add($"{field} must not contain null or empty values");
            return [];
        }

        return [.. values.Select(static v => v!).Distinct(StringComparer.Ordinal)];
    }

    public int NonNegative(string field, int? value)
    {
        if (value < 0)
        {
            Add($"{field} must not be negative, got {value}");
            return 0;
        }

        return value ?? 0;
    }

    /// <summary><c>asc</c>/<c>desc</c> in any case; null when absent or empty.</summary>
    public SortOrder? Order(string field, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (string.Equals(value, "asc", StringComparison.OrdinalIgnoreCase))
        {
            return SortOrder.Ascending;
        }

        if (string.Equals(value, "desc", StringComparison.OrdinalIgnoreCase))
        {
            return SortOrder.Descending;
        }

        Add($"{field} must be asc or desc, got '{value}'");
        return null;
    }
}
