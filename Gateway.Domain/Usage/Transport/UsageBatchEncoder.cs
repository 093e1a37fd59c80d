using System.Text;

namespace Gateway.Domain.Usage.Transport;

/// <summary>One queue message: a <see cref="UsageBatchEnvelope"/> as UTF-8 JSON, and how many events it carries.</summary>
public sealed record UsageQueueBatch(string BatchId, byte[] Body, int EventCount);

/// <summary>
/// Packs usage events into as few <see cref="UsageBatchEnvelope"/> messages as fit the queue's
/// budget, in order. Each event is serialized once and copied into its envelope as is, so the
/// envelope is exactly <c>{"schemaVersion":2,"batchId":"…","events":[…]}</c>. An event too large
/// to share the budget with the envelope goes through the claim check and travels as its small
/// claim-check form.
/// </summary>
public sealed class UsageBatchEncoder(UsageClaimCheckStore claims)
{
    private static readonly byte[] Suffix = "]}"u8.ToArray();

    /// <summary>Bytes of an envelope with no events: the largest event that fits alone is the budget less this.</summary>
    public static int EnvelopeOverhead { get; } = Prefix(Guid.CreateVersion7().ToString()).Length + Suffix.Length;

    /// <summary>The messages carrying <paramref name="events"/>, each at most <paramref name="maxBytes"/> of JSON.</summary>
    public async Task<IReadOnlyList<UsageQueueBatch>> EncodeAsync(IReadOnlyList<UsageEventMessage> events, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var maxEventBytes = maxBytes - EnvelopeOverhead;
        var batches = new List<UsageQueueBatch>();
        var pending = new List<byte[]>();
        var size = EnvelopeOverhead;
        foreach (var message in events)
        {
            var body = await claims.EncodeForQueueAsync(message, maxEventBytes, cancellationToken);
            var added = body.Length + (pending.Count > 0 ? 1 : 0);
            if (pending.Count > 0 && size + added > maxBytes)
            {
                batches.Add(Pack(pending, size));
                pending.Clear();
                size = EnvelopeOverhead;
                added = body.Length;
            }

            pending.Add(body);
            size += added;
        }

        if (pending.Count > 0)
        {
            batches.Add(Pack(pending, size));
        }

        return batches;
    }

    private static UsageQueueBatch Pack(List<byte[]> events, int size)
    {
        var batchId = Guid.CreateVersion7().ToString();
        var prefix = Prefix(batchId);
        var body = new byte[size];
        var at = 0;
        Append(prefix);
        for (var i = 0; i < events.Count; i++)
        {
            if (i > 0)
            {
                body[at++] = (byte)',';
            }

            Append(events[i]);
        }

        Append(Suffix);
        return at == size ? new UsageQueueBatch(batchId, body, events.Count) : throw new InvalidOperationException($"Batch size mismatch: {at} bytes written, {size} expected.");

        void Append(byte[] bytes)
        {
            bytes.CopyTo(body, at);
            at += bytes.Length;
        }
    }

    // The property names are UsageJsonContext's camelCase names of UsageBatchEnvelope; the batch id is a GUID (no escaping).
    private static byte[] Prefix(string batchId)
        => Encoding.UTF8.GetBytes($"{{\"schemaVersion\":{UsageBatchEnvelope.CurrentSchemaVersion},\"batchId\":\"{batchId}\",\"events\":[");
}
