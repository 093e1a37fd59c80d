namespace Gateway.Domain.Usage.Transport;

/// <summary>How a usage queue message's <see cref="UsageBatchEnvelope"/> JSON is put on the wire (<c>UsageTransport__Compression</c>).</summary>
public enum UsageCompression
{
    /// <summary>gzip of the envelope's JSON: several hundred events per message instead of tens.</summary>
    Gzip,

    /// <summary>The envelope's JSON as is: what proxies before compression sent.</summary>
    None,
}
