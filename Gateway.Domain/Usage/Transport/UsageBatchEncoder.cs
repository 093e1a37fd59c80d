using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Domain.Usage.Transport;

/// <summary>One queue message: a <see cref="UsageBatchEnvelope"/> as UTF-8 JSON, and how many events it carries.</summary>
public sealed record UsageQueueBatch(string BatchId, ReadOnlyMemory<byte> Body, int EventCount);

/// <summary>
/// Packs usage events into as few <see cref="UsageBatchEnvelope"/> messages as fit the queue's
/// budget, in order. Each event is serialized once into a scratch buffer reused for the whole call
/// and copied from there into its envelope, so the envelope is exactly
/// <c>{"schemaVersion":2,"batchId":"…","events":[…]}</c> without an array per event. An event too
/// large to share the budget with the envelope goes through the claim check and travels as its
/// small claim-check form.
/// </summary>
public sealed class UsageBatchEncoder(UsageClaimCheckStore claims)
{
    private static ReadOnlySpan<byte> Suffix => "]}"u8;

    /// <summary>Bytes of an envelope with no events: the largest event that fits alone is the budget less this.</summary>
    public static int EnvelopeOverhead { get; } = Prefix(Guid.CreateVersion7().ToString()).Length + Suffix.Length;

    /// <summary>The messages carrying <paramref name="events"/>, each at most <paramref name="maxBytes"/> of JSON.</summary>
    public async Task<IReadOnlyList<UsageQueueBatch>> EncodeAsync(IReadOnlyList<UsageEventMessage> events, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var maxEventBytes = maxBytes - EnvelopeOverhead;
        var batches = new List<UsageQueueBatch>();
        var scratch = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(scratch, UsageMessageCodec.WriterOptions);
        Batch? batch = null;
        for (var i = 0; i < events.Count; i++)
        {
            var message = events[i];
            scratch.ResetWrittenCount();
            writer.Reset();
            UsageMessageCodec.Write(writer, message);
            writer.Flush();
            var body = scratch.WrittenMemory;
            if (body.Length > maxEventBytes)
            {
                body = await claims.ClaimAsync(message, body, cancellationToken);
            }

            if (batch is null || !batch.TryAdd(body.Span, maxBytes))
            {
                if (batch is not null)
                {
                    batches.Add(batch.Complete());
                }

                // Sized for the events left at this one's size (up to the budget), so the buffer seldom grows.
                batch = new Batch((int)Math.Min(maxBytes, EnvelopeOverhead + ((long)body.Length + 1) * (events.Count - i)));
                batch.Add(body.Span);
            }
        }

        if (batch is not null)
        {
            batches.Add(batch.Complete());
        }

        return batches;
    }

    // The property names are UsageJsonContext's camelCase names of UsageBatchEnvelope; the batch id is a GUID (no escaping).
    private static byte[] Prefix(string batchId)
        => Encoding.UTF8.GetBytes($"{{\"schemaVersion\":{UsageBatchEnvelope.CurrentSchemaVersion},\"batchId\":\"{batchId}\",\"events\":[");

    /// <summary>One envelope being filled: the prefix, then the events separated by commas; the suffix on completion.</summary>
    private sealed class Batch
    {
        private readonly ArrayBufferWriter<byte> _body;
        private readonly string _id = Guid.CreateVersion7().ToString();
        private int _count;

        public Batch(int capacity)
        {
            _body = new ArrayBufferWriter<byte>(capacity);
            _body.Write(Prefix(_id));
        }

        /// <summary>Adds the event unless the envelope would then exceed <paramref name="maxBytes"/>.</summary>
        public bool TryAdd(ReadOnlySpan<byte> json, int maxBytes)
        {
            if (_body.WrittenCount + 1 + json.Length + Suffix.Length > maxBytes)
            {
                return false;
            }

            Add(json);
            return true;
        }

        /// <summary>Adds the event whatever its size (the first of an envelope always goes in).</summary>
        public void Add(ReadOnlySpan<byte> json)
        {
            if (_count++ > 0)
            {
                _body.Write(","u8);
            }

            _body.Write(json);
        }

        public UsageQueueBatch Complete()
        {
            _body.Write(Suffix);
            return new UsageQueueBatch(_id, _body.WrittenMemory, _count);
        }
    }
}
