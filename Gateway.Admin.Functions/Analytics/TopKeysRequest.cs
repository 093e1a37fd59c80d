namespace Gateway.Admin.Functions.Analytics;

/// <summary>Body of <c>POST /api/reporting/top-keys</c> (BricksLLM's <c>KeyReportingRequest</c>).</summary>
internal sealed class TopKeysRequest
{
    public List<string?>? Tags { get; set; }

    /// <summary><c>asc</c> or <c>desc</c> (default) by cost.</summary>
    public string? Order { get; set; }

    public List<string?>? KeyIds { get; set; }

    public long? Start { get; set; }

    public long? End { get; set; }

    /// <summary>0 means no limit, as in BricksLLM.</summary>
    public int? Limit { get; set; }

    public int? Offset { get; set; }

    /// <summary>Case-insensitive substring of the key name.</summary>
    public string? Name { get; set; }

    public bool? Revoked { get; set; }
}
