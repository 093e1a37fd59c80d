using System.Collections.Concurrent;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Publishing;

namespace Gateway.Testing;

/// <summary>A queue transport that keeps what the real publisher sends it, for tests of the proxy.</summary>
public sealed class RecordingUsageTransport : IUsageEventTransport
{
    private readonly ConcurrentQueue<UsageEventMessage> _sent = new();

    public IReadOnlyList<UsageEventMessage> Sent => [.. _sent];

    public Task SendBatchAsync(IReadOnlyList<UsageEventMessage> batch, CancellationToken cancellationToken)
    {
        foreach (var message in batch)
        {
            _sent.Enqueue(message);
        }

        return Task.CompletedTask;
    }

    public async Task<UsageEventMessage> WaitForAsync(Func<UsageEventMessage, bool> predicate, TimeSpan? timeout = null)
    {
        UsageEventMessage? found = null;
        await Eventually.AssertAsync(() => (found = _sent.FirstOrDefault(predicate)) is not null, timeout ?? TimeSpan.FromSeconds(5), "a matching usage event was published");
        return found!;
    }
}
