namespace Gateway.Functions.Forwarding;

/// <summary>
/// One request's upstream deadline: armed with the time-to-headers timeout for the send, then
/// re-armed with the idle timeout before every read of the body, so a stream that keeps sending
/// is never cut and a stalled one is. Also cancelled when the client's <c>RequestAborted</c> is.
/// </summary>
/// <remarks>
/// One source that both the timer and the client cancel (a registration on the client's token)
/// rather than a timer source and a linked source over both: one source and one registration per
/// try instead of two sources and two registrations.
/// </remarks>
internal sealed class ForwardTimeouts : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _clientAborted;
    private readonly CancellationTokenRegistration _client;

    public ForwardTimeouts(TimeProvider time, CancellationToken clientAborted)
    {
        _source = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _clientAborted = clientAborted;
        _client = clientAborted.UnsafeRegister(static source => ((CancellationTokenSource)source!).Cancel(), _source);
    }

    public CancellationToken Token => _source.Token;

    /// <summary>The timer, not the client, cancelled the exchange.</summary>
    public bool TimedOut => _source.IsCancellationRequested && !_clientAborted.IsCancellationRequested;

    public void Arm(TimeSpan timeout) => _source.CancelAfter(timeout);

    public void Dispose()
    {
        _client.Dispose();
        _source.Dispose();
    }
}
