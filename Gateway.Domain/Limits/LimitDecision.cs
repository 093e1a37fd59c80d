namespace Gateway.Domain.Limits;

/// <summary>What the limit check decided.</summary>
public enum LimitOutcome
{
    Allowed,

    /// <summary>A request-rate window is full.</summary>
    RateLimited,

    /// <summary>A spend limit (total or per window) is reached.</summary>
    SpendLimited,

    /// <summary>Redis is unreachable and a spend limit applies: fail closed.</summary>
    Unavailable,
}

/// <summary>The outcome, and when a retry can succeed (absent for a total spend limit, which never resets).</summary>
public readonly record struct LimitDecision(LimitOutcome Outcome, TimeSpan? RetryAfter = null, string? Detail = null)
{
    public static LimitDecision Allowed { get; } = new(LimitOutcome.Allowed);
}
