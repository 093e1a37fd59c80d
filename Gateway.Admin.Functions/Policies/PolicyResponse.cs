using Gateway.Domain.Privacy;

namespace Gateway.Admin.Functions.Policies;

/// <summary>A policy as BricksLLM shows it, plus <c>scanResponses</c> and <c>failOpen</c>.</summary>
internal sealed class PolicyResponse
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required List<string> Tags { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public required PolicyConfig Config { get; init; }

    public required PolicyRuleSet RegexConfig { get; init; }

    public required PolicyRuleSet CustomConfig { get; init; }

    public bool ScanResponses { get; init; }

    public bool FailOpen { get; init; }

    public static PolicyResponse From(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return new PolicyResponse
        {
            Id = policy.Id,
            Name = policy.Name,
            Tags = policy.Tags,
            CreatedAt = policy.CreatedAt,
            UpdatedAt = policy.UpdatedAt,
            Config = policy.Config ?? new PolicyConfig(),
            RegexConfig = policy.RegexConfig ?? new PolicyRuleSet(),
            CustomConfig = policy.CustomConfig ?? new PolicyRuleSet(),
            ScanResponses = policy.ScanResponses,
            FailOpen = policy.FailOpen,
        };
    }
}
