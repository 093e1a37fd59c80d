namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// Body of <c>POST /api/reporting/events</c> and <c>/api/reporting/events-by-day</c> (BricksLLM's
/// <c>ReportingRequest</c>). Nullable scalars tell "absent" from "zero".
/// </summary>
internal sealed class ReportingRequest
{
    public List<string?>? KeyIds { get; set; }

    public List<string?>? Tags { get; set; }

    public List<string?>? CustomIds { get; set; }

    public List<string?>? UserIds { get; set; }

    /// <summary>Unix seconds, inclusive.</summary>
    public long? Start { get; set; }

    /// <summary>Unix seconds, exclusive.</summary>
    public long? End { get; set; }

    /// <summary>Bucket width in seconds; ignored by events-by-day, which buckets by UTC day.</summary>
    public long? Increment { get; set; }

    /// <summary>Group-by columns: <c>model</c>, <c>keyId</c>, <c>customId</c>, <c>userId</c>.</summary>
    public List<string?>? Filters { get; set; }
}
