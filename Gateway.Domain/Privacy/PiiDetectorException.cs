namespace Gateway.Domain.Privacy;

/// <summary>A detector could not answer; the policy's <c>failOpen</c> decides what happens to the request.</summary>
public sealed class PiiDetectorException : Exception
{
    public PiiDetectorException()
    {
    }

    public PiiDetectorException(string message)
        : base(message)
    {
    }

    public PiiDetectorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
