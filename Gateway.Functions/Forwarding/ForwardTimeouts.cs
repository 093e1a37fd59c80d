namespace Gateway.Functions.Forwarding;

/// <summary>
/// One request's upstream deadline: armed with the time-to-headers timeout for the send, then
/// re-armed with the idle timeout before every read of the body, so a stream that keeps sending
/// is never cut and a stalled one is. Linked to the client's <c>RequestAborted</c>.
/// </summary>
internal sealed class ForwardTimeouts : IDisposable
{
    private readonly CancellationTokenSource _timer;
    private readonly CancellationTokenSource _linked;

    public ForwardTimeouts(TimeProvider time, CancellationToken clientAborted)
    {
        _timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(clientAborted, _timer.Token);
    }

    public CancellationToken Token => _linked.Token;

    /// <summary>The timer, not the client, cancelled the exchange.</summary>
    public bool TimedOut => _timer.IsCancellationRequested;

    public void Arm(TimeSpan timeout) => _timer.CancelAfter(timeout);

    public void Dispose()
    {
        _linked.Dispose();
        _timer.Dispose();
    }
}
