namespace Gateway.Admin.Functions.Analytics;

/// <summary>A group-by of <c>/api/reporting/events</c>: BricksLLM calls them <c>filters</c>.</summary>
internal enum ReportingGroup
{
    Model,
    KeyId,
    CustomId,
    UserId,

    /// <summary>Not in BricksLLM: the event's provider (<c>openai</c>, <c>azure</c>, ...), for the dashboard's breakdown.</summary>
    Provider,

    /// <summary>Not in BricksLLM: whether the response cache answered (issue 15), to split cached from forwarded requests.</summary>
    Cached,
}
