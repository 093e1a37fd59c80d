namespace Gateway.Testing.ServiceBus;

/// <summary>
/// One queue (or a queue's dead-letter subqueue) with peek-lock semantics. Not thread-safe: the server
/// calls it under its own lock.
/// </summary>
/// <remarks>
/// Delivery counting follows the service: the first delivery reports DeliveryCount 1; abandoning or
/// letting the lock expire ends that delivery, and a message that has been delivered MaxDeliveryCount
/// times moves to the dead-letter subqueue with DeadLetterReason "MaxDeliveryCountExceeded".
/// Lock and TTL expiry are evaluated lazily, on every operation, against the server's TimeProvider.
/// </remarks>
internal sealed class FakeServiceBusQueue(string name, int maxDeliveryCount, TimeSpan lockDuration, FakeServiceBusQueue? deadLetterQueue)
{
    private readonly List<Entry> _messages = [];
    private long _nextSequenceNumber = 1;

    public string Name { get; } = name;

    public int MaxDeliveryCount { get; } = maxDeliveryCount;

    public TimeSpan LockDuration { get; } = lockDuration;

    /// <summary>Null for a dead-letter queue: a message cannot be dead-lettered from one.</summary>
    public FakeServiceBusQueue? DeadLetterQueue { get; } = deadLetterQueue;

    public IReadOnlyList<FakeServiceBusMessage> Snapshot(DateTimeOffset now)
    {
        Expire(now);
        return _messages.Select(static m => m.ToSnapshot()).ToList();
    }

    public long Enqueue(byte[] body, string? contentType, string messageId, string? correlationId, TimeSpan? timeToLive, IReadOnlyDictionary<string, string> userProperties, DateTimeOffset now)
    {
        var entry = new Entry(body, contentType, messageId, correlationId, timeToLive, userProperties, _nextSequenceNumber++, now);
        _messages.Add(entry);
        return entry.SequenceNumber;
    }

    /// <summary>Peek-lock: the oldest unlocked message, now locked under a new token.</summary>
    public FakeServiceBusMessage? TryLockNext(DateTimeOffset now)
    {
        Expire(now);
        var next = _messages.FirstOrDefault(static m => m.LockToken is null);
        if (next is null)
        {
            return null;
        }

        next.DeliveryCount++;
        next.LockToken = Guid.NewGuid().ToString();
        next.LockedUntil = now + LockDuration;
        return next.ToSnapshot();
    }

    /// <summary>Delete Message. False when no message has that id (sequence number or MessageId) under that lock: 404.</summary>
    public bool Complete(string messageReference, string lockToken, DateTimeOffset now)
    {
        Expire(now);
        var entry = FindLocked(messageReference, lockToken);
        return entry is not null && _messages.Remove(entry);
    }

    /// <summary>Unlock Message. False as for <see cref="Complete"/>.</summary>
    public bool Unlock(string messageReference, string lockToken, DateTimeOffset now)
    {
        Expire(now);
        var entry = FindLocked(messageReference, lockToken);
        if (entry is null)
        {
            return false;
        }

        Release(entry);
        return true;
    }

    /// <summary>Renew-Lock. False as for <see cref="Complete"/>.</summary>
    public bool RenewLock(string messageReference, string lockToken, DateTimeOffset now)
    {
        Expire(now);
        var entry = FindLocked(messageReference, lockToken);
        if (entry is null)
        {
            return false;
        }

        entry.LockedUntil = now + LockDuration;
        return true;
    }

    private Entry? FindLocked(string messageReference, string lockToken)
        => _messages.FirstOrDefault(m =>
            m.LockToken is not null
            && string.Equals(m.LockToken, lockToken, StringComparison.OrdinalIgnoreCase)
            && (m.SequenceNumber.ToString(System.Globalization.CultureInfo.InvariantCulture) == messageReference || m.MessageId == messageReference));

    private void Expire(DateTimeOffset now)
    {
        foreach (var entry in _messages.Where(m => m.LockToken is not null && m.LockedUntil <= now).ToList())
        {
            Release(entry);
        }

        _messages.RemoveAll(m => m.LockToken is null && m.TimeToLive is { } ttl && m.EnqueuedTime + ttl <= now);
    }

    private void Release(Entry entry)
    {
        entry.LockToken = null;
        entry.LockedUntil = null;
        if (DeadLetterQueue is not null && entry.DeliveryCount >= MaxDeliveryCount)
        {
            _messages.Remove(entry);
            var properties = new Dictionary<string, string>(entry.UserProperties, StringComparer.OrdinalIgnoreCase)
            {
                ["DeadLetterReason"] = "MaxDeliveryCountExceeded",
                ["DeadLetterErrorDescription"] = $"Message could not be consumed after {MaxDeliveryCount} delivery attempts.",
            };
            var moved = new Entry(entry.Body, entry.ContentType, entry.MessageId, entry.CorrelationId, null, properties, entry.SequenceNumber, entry.EnqueuedTime)
            {
                DeliveryCount = entry.DeliveryCount,
                DeadLetterReason = "MaxDeliveryCountExceeded",
            };
            DeadLetterQueue._messages.Add(moved);
        }
    }

    private sealed class Entry(byte[] body, string? contentType, string messageId, string? correlationId, TimeSpan? timeToLive, IReadOnlyDictionary<string, string> userProperties, long sequenceNumber, DateTimeOffset enqueuedTime)
    {
        public byte[] Body { get; } = body;

        public string? ContentType { get; } = contentType;

        public string MessageId { get; } = messageId;

        public string? CorrelationId { get; } = correlationId;

        public TimeSpan? TimeToLive { get; } = timeToLive;

        public IReadOnlyDictionary<string, string> UserProperties { get; } = userProperties;

        public long SequenceNumber { get; } = sequenceNumber;

        public DateTimeOffset EnqueuedTime { get; } = enqueuedTime;

        public int DeliveryCount { get; set; }

        public string? LockToken { get; set; }

        public DateTimeOffset? LockedUntil { get; set; }

        public string? DeadLetterReason { get; init; }

        public FakeServiceBusMessage ToSnapshot() => new(
            Body, ContentType, MessageId, CorrelationId, TimeToLive, UserProperties, SequenceNumber, DeliveryCount,
            EnqueuedTime, LockToken, LockedUntil, DeadLetterReason);
    }
}
