namespace Gateway.Testing.FakeLlm;

/// <summary>
/// The requests a <see cref="FakeLlmServer"/> received, and the tests waiting for one. Waiters are
/// checked under the same lock that records and completes requests, so none misses an event.
/// </summary>
internal sealed class RequestRecorder
{
    private readonly Lock _lock = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<Waiter> _waiters = [];
    private int _cancelledCount;

    public int CancelledCount => Volatile.Read(ref _cancelledCount);

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_lock)
        {
            return [.. _requests];
        }
    }

    public RecordedRequest? Last
    {
        get
        {
            lock (_lock)
            {
                return _requests.Count == 0 ? null : _requests[^1];
            }
        }
    }

    public RecordedRequest Add(Func<int, RecordedRequest> create)
    {
        lock (_lock)
        {
            var request = create(_requests.Count + 1);
            _requests.Add(request);
            NotifyLocked(request);
            return request;
        }
    }

    public void Complete(RecordedRequest request, FakeLlmRequestOutcome outcome)
    {
        lock (_lock)
        {
            request.SetOutcome(outcome);
            if (outcome == FakeLlmRequestOutcome.ClientDisconnected)
            {
                _cancelledCount++;
            }

            NotifyLocked(request);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _requests.Clear();
        }
    }

    public async Task<RecordedRequest> WaitAsync(Func<RecordedRequest, bool> predicate, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var waiter = new Waiter(predicate, new TaskCompletionSource<RecordedRequest>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_lock)
        {
            foreach (var request in _requests)
            {
                if (predicate(request))
                {
                    return request;
                }
            }

            _waiters.Add(waiter);
        }

        try
        {
            return await waiter.Completion.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            lock (_lock)
            {
                _waiters.Remove(waiter);
            }

            throw new TimeoutException(
                $"No matching request within {timeout}. Received: [{string.Join("; ", Snapshot())}]");
        }
    }

    private void NotifyLocked(RecordedRequest request)
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            var waiter = _waiters[i];
            bool matches;
            try
            {
                matches = waiter.Predicate(request);
            }
            catch (Exception e)
            {
                waiter.Completion.TrySetException(e);
                _waiters.RemoveAt(i);
                continue;
            }

            if (matches)
            {
                waiter.Completion.TrySetResult(request);
                _waiters.RemoveAt(i);
            }
        }
    }

    private sealed record Waiter(Func<RecordedRequest, bool> Predicate, TaskCompletionSource<RecordedRequest> Completion);
}
