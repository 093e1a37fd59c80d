namespace Gateway.Domain.Routing;

/// <summary>
/// How one upstream attempt ended: its <see cref="AttemptVerdict"/>, the status (0 when no response
/// came: transport error or timeout) and the upstream's <c>Retry-After</c> when it sent one.
/// </summary>
public readonly record struct AttemptOutcome(AttemptVerdict Verdict, int Status, TimeSpan? RetryAfter = null)
{
    /// <summary>No response: the connection failed, or no headers came within the attempt's timeout.</summary>
    public static AttemptOutcome NoResponse => new(AttemptVerdict.Retryable, 0);

    public bool IsSuccess => Verdict == AttemptVerdict.Success;

    /// <summary>Classifies an upstream status; only 429 and 503 carry <paramref name="retryAfter"/> on.</summary>
    public static AttemptOutcome FromStatus(int status, TimeSpan? retryAfter = null)
    {
        var verdict = IsRetryable(status) ? AttemptVerdict.Retryable
            : status is >= 400 and < 500 ? AttemptVerdict.ClientError
            : AttemptVerdict.Success;
        return new AttemptOutcome(verdict, status, status is 429 or 503 ? retryAfter : null);
    }

    /// <summary>408 (timeout), 409 (conflict, e.g. a busy deployment), 429 and 5xx are worth another try.</summary>
    public static bool IsRetryable(int status) => status is 408 or 409 or 429 or >= 500;
}
