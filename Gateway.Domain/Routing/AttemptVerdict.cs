namespace Gateway.Domain.Routing;

/// <summary>What one upstream attempt means for the request: keep it, try again elsewhere, or hand it to the client.</summary>
public enum AttemptVerdict
{
    /// <summary>A 1xx-3xx answer: it is relayed.</summary>
    Success,

    /// <summary>A transport error, a timeout, 408, 409, 429 or 5xx: another attempt may do better.</summary>
    Retryable,

    /// <summary>Any other 4xx: the request itself is wrong, another provider would refuse it too; relayed at once.</summary>
    ClientError,
}
