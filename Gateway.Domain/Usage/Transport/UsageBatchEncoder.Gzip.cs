using System.Buffers;
using System.Runtime.InteropServices;

namespace Gateway.Domain.Usage.Transport;

public sealed partial class UsageBatchEncoder
{
    /// <summary>
    /// Most events in one gzip message: the publisher's default flush. It bounds the ingest's work per
    /// message (one Redis script, one transaction) when tiny events compress far better than usual.
    /// </summary>
    public const int MaxEventsPerMessage = 2_000;

    /// <summary>Most JSON bytes behind one gzip message: well under the ingest's inflate limit (<see cref="UsageGzip.MaxInflatedBytes"/>).</summary>
    public const int MaxInflatedBytes = 4 * 1024 * 1024;

    // Compressed size / JSON size. A first guess that a benchmark-like event beats (about 0.1 with
    // CompressionLevel.Fastest); each message then teaches the next one the ratio actually seen.
    private const double InitialRatio = 0.25;

    // The ratio is known per message, not per event: aim this far under the budget so that the next
    // message's events, compressing a little worse, still fit with one compression.
    private const double Margin = 0.06;

    private const double MinRatio = 0.02;
    private const double MaxRatio = 1.0;

    // Shared by the calls on this (singleton) encoder: a flush of a few hundred events is one message,
    // which should start from the ratio the previous flush saw rather than from the guess.
    private double _ratio = InitialRatio;

    // The compression buffer (the budget's size) kept between calls: a flush of a few hundred events
    // would otherwise allocate more for it than for its messages. Concurrent calls make their own.
    private MemoryStream? _spareStream;

    /// <summary>
    /// The gzip form. Events are gathered as comma-separated JSON until their envelope would pass the
    /// budget divided by the last observed ratio (less <see cref="Margin"/>); that envelope is
    /// compressed once. Over the budget (the events compress worse than the last ones), the batch is
    /// cut to what the newly observed ratio allows and compressed again: each retry drops at least one
    /// event, and a single event always fits (its JSON is within the budget, or it was claim-checked),
    /// so it ends. A body whose gzip is not smaller than its JSON goes as the JSON: the decoder reads both.
    /// </summary>
    private sealed class GzipPacker(UsageBatchEncoder encoder, int maxBytes, List<UsageQueueBatch> batches) : Packer
    {
        private readonly List<int> _ends = [];
        private readonly MemoryStream _compressed = Interlocked.Exchange(ref encoder._spareStream, null) is { Capacity: var capacity } spare && capacity >= maxBytes + 1024 ? spare : new(maxBytes + 1024);
        private double _ratio = Volatile.Read(ref encoder._ratio);
        private byte[] _pending = ArrayPool<byte>.Shared.Rent(64 * 1024);
        private int _length;

        public override void Add(ReadOnlySpan<byte> json, int eventsLeft)
        {
            var separator = _ends.Count > 0 ? 1 : 0;
            if (_length + separator + json.Length > _pending.Length)
            {
                var grown = ArrayPool<byte>.Shared.Rent(Math.Max(_pending.Length * 2, _length + separator + json.Length));
                _pending.AsSpan(0, _length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_pending);
                _pending = grown;
            }

            if (separator == 1)
            {
                _pending[_length++] = (byte)',';
            }

            json.CopyTo(_pending.AsSpan(_length));
            _length += json.Length;
            _ends.Add(_length);
            while (_ends.Count > 0 && (EnvelopeBytes(_ends.Count) > Target() || _ends.Count >= MaxEventsPerMessage))
            {
                EmitOne();
            }
        }

        public override void Complete()
        {
            while (_ends.Count > 0)
            {
                EmitOne();
            }

            Volatile.Write(ref encoder._ratio, _ratio);
        }

        public override void Dispose()
        {
            ArrayPool<byte>.Shared.Return(_pending);
            _pending = [];
            Interlocked.Exchange(ref encoder._spareStream, _compressed);
            base.Dispose();
        }

        /// <summary>The JSON bytes to gather for one message at the current ratio.</summary>
        private int Target() => (int)Math.Min(MaxInflatedBytes, maxBytes * (1 - Margin) / _ratio);

        private int EnvelopeBytes(int count) => EnvelopeOverhead + _ends[count - 1];

        /// <summary>The most leading events (at least one, at most <paramref name="limit"/>) whose envelope is within <paramref name="target"/> bytes.</summary>
        private int Fit(int target, int limit)
        {
            var index = CollectionsMarshal.AsSpan(_ends)[..limit].BinarySearch(target - EnvelopeOverhead);
            return Math.Max(1, index >= 0 ? index + 1 : ~index);
        }

        private void EmitOne()
        {
            var count = Fit(Target(), Math.Min(_ends.Count, MaxEventsPerMessage));
            var id = Guid.CreateVersion7().ToString();
            var prefix = Prefix(id);
            byte[] body;
            while (true)
            {
                var json = EnvelopeBytes(count);
                UsageGzip.Compress(_compressed, prefix, _pending.AsSpan(0, _ends[count - 1]), Suffix);
                var compressed = (int)_compressed.Length;
                _ratio = Math.Clamp(compressed / (double)json, MinRatio, MaxRatio);
                if (compressed <= maxBytes && compressed < json)
                {
                    body = _compressed.ToArray();
                    break;
                }

                if (json <= maxBytes)
                {
                    body = [.. prefix, .. _pending.AsSpan(0, _ends[count - 1]), .. Suffix];
                    break;
                }

                count = Math.Min(count - 1, Fit(Target(), count));
            }

            batches.Add(new UsageQueueBatch(id, body, count));
            Remove(count);
        }

        /// <summary>Drops the first <paramref name="count"/> events (and the comma after them) from the pending JSON.</summary>
        private void Remove(int count)
        {
            if (count == _ends.Count)
            {
                _ends.Clear();
                _length = 0;
                return;
            }

            var start = _ends[count - 1] + 1;
            _pending.AsSpan(start, _length - start).CopyTo(_pending);
            _length -= start;
            _ends.RemoveRange(0, count);
            var ends = CollectionsMarshal.AsSpan(_ends);
            for (var i = 0; i < ends.Length; i++)
            {
                ends[i] -= start;
            }
        }
    }
}
