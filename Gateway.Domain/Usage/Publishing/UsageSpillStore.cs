using System.Buffers;
using System.Globalization;
using Gateway.Domain.Usage.Transport;

namespace Gateway.Domain.Usage.Publishing;

/// <summary>What <see cref="UsageSpillStore.ReadOldest"/> read: events to send, then <see cref="UsageSpillStore.Commit"/>.</summary>
internal sealed record UsageSpillChunk(string SegmentPath, long EndOffset, IReadOnlyList<UsageEventMessage> Events, int Unreadable);

/// <summary>
/// The publisher's bounded local store for events the queue could not take: segment files of JSON
/// lines (one <see cref="UsageEventMessage"/> per line, in the queue's JSON) under
/// <c>{SpillFolder}/{instance}/</c>, appended and fsync'd once per flush, read back oldest first.
/// </summary>
/// <remarks>
/// Each process owns one instance folder, locked by <c>{SpillFolder}/{instance}.lock</c> (an exclusive
/// open, released by the OS when the process dies, even on kill -9). At start the store adopts every
/// instance folder whose lock it can take (a process that stopped or crashed), oldest first, so a
/// restart sends what its predecessor left. A segment is deleted once all its events were sent; a
/// crash in between re-sends that segment (ingest is idempotent per event id). A line torn by a crash
/// in mid-append does not parse: it is skipped and reported as unreadable.
/// </remarks>
internal sealed class UsageSpillStore(string root, long maxBytes) : IDisposable
{
    private readonly string _root = root;

    private const string SegmentExtension = ".jsonl";
    private const long SegmentRollBytes = 4L * 1024 * 1024;
    private const int MaxChunkBytes = 8 * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly List<Segment> _segments = []; // oldest first
    private FileStream? _lock;
    private FileStream? _active; // appends go to _segments[^1] while this is open
    private long _nextSegment;
    private long _bytes;
    private long _pendingEvents;

    /// <summary>This process's instance folder (set by <see cref="Open"/>).</summary>
    public string Folder { get; private set; } = string.Empty;

    /// <summary>Events (lines) stored and not yet sent.</summary>
    public long PendingEvents => Interlocked.Read(ref _pendingEvents);

    /// <summary>No segment left: everything stored was sent.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _segments.Count == 0;
            }
        }
    }

    public long Bytes => Interlocked.Read(ref _bytes);

    public long MaxBytes => maxBytes;

    /// <summary>Takes an instance folder and adopts what stopped or crashed processes left. Returns the events adopted.</summary>
    public long Open()
    {
        Directory.CreateDirectory(_root);
        var instance = Guid.CreateVersion7().ToString("n"); // names sort by creation time
        _lock = LockFile(instance) ?? throw new IOException($"Could not lock a new spill folder in {_root}.");
        Folder = Path.Combine(_root, instance);
        Directory.CreateDirectory(Folder);
        foreach (var orphan in Directory.GetDirectories(_root).Select(Path.GetFileName).Order(StringComparer.Ordinal))
        {
            if (orphan is not null && orphan != instance)
            {
                Adopt(orphan);
            }
        }

        // Lock files of folders already gone (a crash after the folder was emptied).
        foreach (var stale in Directory.GetFiles(_root, "*.lock"))
        {
            if (!Directory.Exists(Path.ChangeExtension(stale, null)))
            {
                LockFile(Path.GetFileNameWithoutExtension(stale))?.Dispose();
            }
        }

        return PendingEvents;
    }

    /// <summary>
    /// Appends as many of <paramref name="events"/> as the size cap allows, in order, and fsyncs them.
    /// Returns how many were stored; the rest did not fit. Throws when the disk fails.
    /// </summary>
    public int Append(IReadOnlyList<UsageEventMessage> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var lines = new ArrayBufferWriter<byte>();
        var ends = new int[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            lines.Write(UsageMessageCodec.Serialize(events[i]));
            lines.Write("\n"u8);
            ends[i] = lines.WrittenCount;
        }

        lock (_gate)
        {
            var room = maxBytes - _bytes;
            var count = events.Count;
            while (count > 0 && ends[count - 1] > room)
            {
                count--;
            }

            if (count == 0)
            {
                return 0;
            }

            var length = ends[count - 1];
            var segment = ActiveSegment();
            try
            {
                _active!.Write(lines.WrittenSpan[..length]);
                _active.Flush(flushToDisk: true);
            }
            catch (IOException)
            {
                // Whatever reached the file is read back (a torn line is skipped); the next append starts a new segment.
                _active!.Dispose();
                _active = null;
                var onDisk = new FileInfo(segment.Path).Length;
                _bytes += onDisk - segment.Length;
                segment.Length = onDisk;
                throw;
            }

            segment.Length += length;
            _bytes += length;
            _pendingEvents += count;
            return count;
        }
    }

    /// <summary>
    /// Up to <paramref name="maxEvents"/> of the oldest events not yet committed, or those right after
    /// <paramref name="after"/> (to send several chunks at once); null when there are none.
    /// </summary>
    public UsageSpillChunk? ReadOldest(int maxEvents, UsageSpillChunk? after = null)
    {
        Segment segment;
        long offset;
        lock (_gate)
        {
            var index = after is null ? 0 : _segments.FindIndex(s => s.Path == after.SegmentPath);
            if (index < 0 || index >= _segments.Count)
            {
                return null;
            }

            offset = after is null ? _segments[0].Offset : after.EndOffset;
            if (after is not null && offset >= _segments[index].Length)
            {
                if (++index >= _segments.Count)
                {
                    return null;
                }

                offset = _segments[index].Offset;
            }

            segment = _segments[index];
            if (_active is not null && index == _segments.Count - 1)
            {
                // Seal the segment being appended to: the next append starts a new one.
                _active.Dispose();
                _active = null;
            }
        }

        return Read(segment, offset, maxEvents);
    }

    /// <summary>The chunk was sent: its events leave the store, and a fully sent segment is deleted.</summary>
    public void Commit(UsageSpillChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        lock (_gate)
        {
            var segment = _segments.Find(s => s.Path == chunk.SegmentPath);
            if (segment is null)
            {
                return;
            }

            segment.Offset = Math.Max(segment.Offset, chunk.EndOffset);
            _pendingEvents = Math.Max(0, _pendingEvents - chunk.Events.Count - chunk.Unreadable);
            if (segment.Offset >= segment.Length && !(_active is not null && segment == _segments[^1]))
            {
                File.Delete(segment.Path);
                _segments.Remove(segment);
                _bytes -= segment.Length;
            }
        }
    }

    /// <summary>Closes the files and releases the instance folder (removed when empty) for the next start to adopt.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _active?.Dispose();
            _active = null;
            if (_lock is null)
            {
                return;
            }

            if (_segments.Count == 0 && Directory.Exists(Folder))
            {
                Directory.Delete(Folder, recursive: true);
            }

            _lock.Dispose();
            _lock = null;
        }
    }

    private Segment ActiveSegment()
    {
        if (_active is not null && _segments[^1].Length < SegmentRollBytes)
        {
            return _segments[^1];
        }

        _active?.Dispose();
        var segment = new Segment(Path.Combine(Folder, NextSegmentName()));
        _active = new FileStream(segment.Path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
        _segments.Add(segment);
        return segment;
    }

    private void Adopt(string orphan)
    {
        using var orphanLock = LockFile(orphan);
        if (orphanLock is null)
        {
            return; // a live process owns it
        }

        var folder = Path.Combine(_root, orphan);
        foreach (var file in Directory.GetFiles(folder, "*" + SegmentExtension).Order(StringComparer.Ordinal))
        {
            var segment = new Segment(Path.Combine(Folder, NextSegmentName()));
            File.Move(file, segment.Path);
            var content = File.ReadAllBytes(segment.Path);
            segment.Length = content.Length;
            _bytes += content.Length;
            _pendingEvents += content.AsSpan().Count((byte)'\n') + (content.Length > 0 && content[^1] != '\n' ? 1 : 0);
            _segments.Add(segment);
        }

        Directory.Delete(folder, recursive: true);
    }

    private static UsageSpillChunk Read(Segment segment, long offset, int maxEvents)
    {
        var events = new List<UsageEventMessage>();
        var unreadable = 0;
        var line = new ArrayBufferWriter<byte>();
        using var file = new FileStream(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1 << 16);
        file.Seek(offset, SeekOrigin.Begin);
        var buffer = new byte[1 << 16];
        var read = 0L;
        while (events.Count < maxEvents && read < MaxChunkBytes)
        {
            var n = file.Read(buffer);
            if (n == 0)
            {
                if (line.WrittenCount > 0 && offset + line.WrittenCount >= segment.Length)
                {
                    // A line without its newline at the end of a sealed segment: torn by a crash.
                    unreadable++;
                    offset += line.WrittenCount;
                }

                break;
            }

            read += n;
            var span = buffer.AsSpan(0, n);
            int newline;
            while (events.Count < maxEvents && (newline = span.IndexOf((byte)'\n')) >= 0)
            {
                line.Write(span[..newline]);
                if (UsageMessageCodec.TryParse(line.WrittenSpan, out _) is { } message)
                {
                    events.Add(message);
                }
                else
                {
                    unreadable++;
                }

                offset += line.WrittenCount + 1;
                line.Clear();
                span = span[(newline + 1)..];
            }

            if (events.Count < maxEvents)
            {
                line.Write(span);
            }
        }

        return new UsageSpillChunk(segment.Path, offset, events, unreadable);
    }

    private string NextSegmentName()
        => (++_nextSegment).ToString("D12", CultureInfo.InvariantCulture) + SegmentExtension;

    /// <summary>The lock of an instance folder, or null when another live process holds it.</summary>
    private FileStream? LockFile(string instance)
    {
        try
        {
            return new FileStream(Path.Combine(_root, instance + ".lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1, FileOptions.DeleteOnClose);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private sealed class Segment(string path)
    {
        public string Path { get; } = path;

        public long Length { get; set; }

        public long Offset { get; set; }
    }
}
