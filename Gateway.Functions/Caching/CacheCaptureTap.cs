using Gateway.Domain.Caching;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Caching;

/// <summary>
/// Captures a cache miss's answer as it is delivered (after every transform, so it is exactly what
/// the client got), bounded by <c>Cache__MaxEntryBytes</c>; <see cref="CacheStoreStep"/> stores it
/// once the body is relayed, before the client can see its end (<see cref="HoldsEnd"/>).
/// </summary>
internal sealed class CacheCaptureTap(ResponseCapture capture, CacheScopeKeys scope, string slot, TimeSpan ttl) : IResponseTap
{
    public ResponseCapture Capture { get; } = capture;

    public CacheScopeKeys Scope { get; } = scope;

    public string Slot { get; } = slot;

    public TimeSpan Ttl { get; } = ttl;

    public int Status { get; private set; }

    public bool IsEventStream { get; private set; }

    public bool Completed { get; private set; }

    /// <summary>The store step runs before the client sees the end of the body.</summary>
    public bool HoldsEnd => true;

    public void Start(int status, string? contentType)
    {
        Status = status;
        IsEventStream = contentType?.StartsWith("text/event-stream", StringComparison.OrdinalIgnoreCase) == true;
    }

    public void Delivered(ReadOnlySpan<byte> bytes)
    {
        if (Status == StatusCodes.Status200OK)
        {
            Capture.Append(bytes);
        }
    }

    public void End(bool complete) => Completed = complete;
}
