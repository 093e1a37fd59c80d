namespace Gateway.Domain.Privacy;

/// <summary>A PII policy (BricksLLM's <c>internal/policy/policy.go</c>) attached to keys by their <c>policyId</c>.</summary>
public sealed class Policy
{
    public required string Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public List<string> Tags { get; set; } = [];

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }

    /// <summary>Entity rules: entity name (<see cref="PiiEntity"/>) → action name (<see cref="PiiActions"/>).</summary>
    public PolicyConfig? Config { get; set; }

    public PolicyRuleSet? RegexConfig { get; set; }

    /// <summary>LLM-judged rules: stored and returned; applied only when a judge model is configured.</summary>
    public PolicyRuleSet? CustomConfig { get; set; }

    /// <summary>Also scan answers (non-streamed bodies and streams); off by default, as BricksLLM scans requests only.</summary>
    public bool ScanResponses { get; set; }

    /// <summary>A detector error lets the request through (BricksLLM's behaviour) unless false.</summary>
    public bool FailOpen { get; set; } = true;
}

/// <summary>A policy's <c>config</c>.</summary>
public sealed class PolicyConfig
{
    public Dictionary<string, string> Rules { get; set; } = [];
}

/// <summary>A policy's <c>regexConfig</c> or <c>customConfig</c>.</summary>
public sealed class PolicyRuleSet
{
    public List<PolicyRule> Rules { get; set; } = [];
}

/// <summary>A regular expression (or, for custom rules, a description) and its action.</summary>
public sealed class PolicyRule
{
    public string Definition { get; set; } = string.Empty;

    public string Action { get; set; } = string.Empty;
}
