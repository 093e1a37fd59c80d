namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// What the standalone ingest puts on <c>{queue}-poison</c> for a message it gave up on: the original
/// text unchanged in <see cref="Body"/>, and why. (Under the Functions host the host moves the raw
/// message itself, and the reason is in the invocation's logs.)
/// </summary>
public sealed class UsagePoisonMessage
{
    public required string Reason { get; set; }

    public string? MessageId { get; set; }

    public long DequeueCount { get; set; }

    public DateTimeOffset? InsertedOn { get; set; }

    public DateTimeOffset PoisonedOn { get; set; }

    public required string Body { get; set; }
}
