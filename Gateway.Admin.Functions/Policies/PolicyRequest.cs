namespace Gateway.Admin.Functions.Policies;

/// <summary>
/// Body of <c>POST /api/policies</c> and <c>PATCH /api/policies/{id}</c> (BricksLLM's Policy and
/// UpdatePolicy): on PATCH, an absent field keeps its value and a given config replaces the old one whole.
/// </summary>
internal sealed class PolicyRequest
{
    public string? Name { get; set; }

    public List<string?>? Tags { get; set; }

    public PolicyConfigItem? Config { get; set; }

    public PolicyRuleSetItem? RegexConfig { get; set; }

    public PolicyRuleSetItem? CustomConfig { get; set; }

    /// <summary>Ours: also scan answers (default false).</summary>
    public bool? ScanResponses { get; set; }

    /// <summary>Ours: a detector error lets requests through (default true) or refuses them.</summary>
    public bool? FailOpen { get; set; }
}

/// <summary><c>config</c>: entity name → action name.</summary>
internal sealed class PolicyConfigItem
{
    public Dictionary<string, string?>? Rules { get; set; }
}

/// <summary><c>regexConfig</c> / <c>customConfig</c>.</summary>
internal sealed class PolicyRuleSetItem
{
    public List<PolicyRuleItem?>? Rules { get; set; }
}

internal sealed class PolicyRuleItem
{
    public string? Definition { get; set; }

    public string? Action { get; set; }
}
