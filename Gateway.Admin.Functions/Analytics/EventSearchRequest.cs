namespace Gateway.Admin.Functions.Analytics;

/// <summary>Body of <c>POST /api/v2/events</c> (BricksLLM's <c>EventRequest</c>).</summary>
internal sealed class EventSearchRequest
{
    public List<string?>? UserIds { get; set; }

    public List<string?>? CustomIds { get; set; }

    public List<string?>? KeyIds { get; set; }

    public List<string?>? Tags { get; set; }

    public long? Start { get; set; }

    public long? End { get; set; }

    /// <summary>0 means no limit, as in BricksLLM.</summary>
    public int? Limit { get; set; }

    public int? Offset { get; set; }

    public List<string?>? PolicyIds { get; set; }

    /// <summary><c>allowed</c>, <c>blocked</c>, <c>warned</c> or <c>redacted</c>.</summary>
    public List<string?>? Actions { get; set; }

    public string? CostOrder { get; set; }

    public string? DateOrder { get; set; }

    public bool? ReturnCount { get; set; }

    /// <summary>HTTP status code; 0 means any.</summary>
    public int? Status { get; set; }

    /// <summary>Not in BricksLLM: events of any of these models (the dashboard's model filter).</summary>
    public List<string?>? Models { get; set; }
}
