using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Domain.Usage.Transport;

/// <summary>One queue message: a <see cref="UsageBatchEnvelope"/> as UTF-8 JSON (or its gzip), and how many events it carries.</summary>
public sealed record UsageQueueBatch(string BatchId, ReadOnlyMemory<byte> Body, int EventCount);

/// <summary>
/// Packs usage events into as few <see cref="UsageBatchEnvelope"/> messages as fit the queue's
/// budget, in order. Each event is serialized once into a scratch buffer reused for the whole call
/// and copied from there into its envelope, so the envelope is exactly
/// <c>{"schemaVersion":2,"batchId":"…","events":[…]}</c> without an array per event. An event whose
/// JSON is too large to share the budget with the envelope goes through the claim check and travels
/// as its small claim-check form (decided on the uncompressed size, for both forms: see the README).
/// With <see cref="UsageCompression.Gzip"/> the budget bounds the compressed body
/// (<see cref="GzipPacker"/>); with <see cref="UsageCompression.None"/> the JSON, as before compression.
/// </summary>
public sealed partial class UsageBatchEncoder(UsageClaimCheckStore claims, UsageCompression compression = UsageCompression.None)
{
    private static ReadOnlySpan<byte> Suffix => "]}"u8;

    /// <summary>Bytes of an envelope with no events: the largest event that fits alone is the budget less this.</summary>
    public static int EnvelopeOverhead { get; } = Prefix(Guid.CreateVersion7().ToString()).Length + Suffix.Length;

    public UsageCompression Compression => compression;

    /// <summary>The messages carrying <paramref name="events"/>, each body at most <paramref name="maxBytes"/> on the wire.</summary>
    public async Task<IReadOnlyList<UsageQueueBatch>> EncodeAsync(IReadOnlyList<UsageEventMessage> events, int maxBytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(events);
        var maxEventBytes = maxBytes - EnvelopeOverhead;
        var batches = new List<UsageQueueBatch>();
        using Packer packer = compression == UsageCompression.Gzip ? new GzipPacker(this, maxBytes, batches) : new PlainPacker(maxBytes, batches);
        var scratch = new ArrayBufferWriter<byte>(4096);
        using var writer = new Utf8JsonWriter(scratch, UsageMessageCodec.WriterOptions);
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

            packer.Add(body.Span, events.Count - i);
        }

        packer.Complete();
        return batches;
    }

    // The property names are UsageJsonContext's camelCase names of UsageBatchEnvelope; the batch id is a GUID (no escaping).
    private static byte[] Prefix(string batchId)
        => Encoding.UTF8.GetBytes($"{{\"schemaVersion\":{UsageBatchEnvelope.CurrentSchemaVersion},\"batchId\":\"{batchId}\",\"events\":[");

    /// <summary>Turns the call's events, one at a time and in order, into <see cref="UsageQueueBatch"/>es.</summary>
    private abstract class Packer : IDisposable
    {
        /// <summary>Takes one event's JSON (copied; the span is reused); <paramref name="eventsLeft"/> counts it and those after it.</summary>
        public abstract void Add(ReadOnlySpan<byte> json, int eventsLeft);

        public abstract void Complete();

        public virtual void Dispose()
        {
        }
    }

    /// <summary>The uncompressed form: each envelope filled greedily up to the budget (the bytes proxies sent before compression).</summary>
    private sealed class PlainPacker(int maxBytes, List<UsageQueueBatch> batches) : Packer
    {
        private Batch? _batch;

        public override void Add(ReadOnlySpan<byte> json, int eventsLeft)
        {
            if (_batch is not null && _batch.TryAdd(json, maxBytes))
            {
                return;
            }

            if (_batch is not null)
            {
                batches.Add(_batch.Complete());
            }

            // Sized for the events left at this one's size (up to the budget), so the buffer seldom grows.
            _batch = new Batch((int)Math.Min(maxBytes, EnvelopeOverhead + ((long)json.Length + 1) * eventsLeft));
            _batch.Add(json);
        }

        public override void Complete()
        {
            if (_batch is not null)
            {
                batches.Add(_batch.Complete());
                _batch = null;
            }
        }
    }

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
