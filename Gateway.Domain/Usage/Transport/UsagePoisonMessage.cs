namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// What ingest puts on <c>{queue}-poison</c> (a Storage queue, for either transport) for what it
/// cannot decode: a whole message the standalone consumer gave up on, or one element of a batch whose
/// other events were ingested. <see cref="Body"/> is the original text unchanged, with why. (Under the
/// Functions host a whole unreadable message is moved by the host, and the reason is in the logs.)
/// </summary>
public sealed class UsagePoisonMessage
{
    public required string Reason { get; set; }

    public string? MessageId { get; set; }

    /// <summary>Set for one element of a batch: the batch's id, the element's position and (when readable) its event id.</summary>
    public string? BatchId { get; set; }

    public int? Index { get; set; }

    public string? EventId { get; set; }

    public long DequeueCount { get; set; }

    public DateTimeOffset? InsertedOn { get; set; }

    public DateTimeOffset PoisonedOn { get; set; }

    /// <summary>The original text; empty when it was too large for the record and is in <see cref="BodyBlob"/>.</summary>
    public required string Body { get; set; }

    /// <summary><c>base64</c> when <see cref="Body"/> is the Base64 of a binary (gzip) message rather than its text; else absent.</summary>
    public string? BodyEncoding { get; set; }

    /// <summary><c>{container}/{blob}</c> holding <see cref="Body"/> when the record alone would not fit in a queue message.</summary>
    public string? BodyBlob { get; set; }
}
