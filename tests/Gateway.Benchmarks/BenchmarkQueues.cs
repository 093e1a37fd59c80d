using Azure.Storage.Queues;
using Gateway.Testing;

namespace Gateway.Benchmarks;

/// <summary>
/// The usage queues the benchmark's gateway publishes to (one per run, <c>bench-usage-…</c>). Azurite
/// keeps every message of every queue in one in-memory database that it writes back to disk as a
/// whole, so queues left behind by earlier runs (tens of thousands of messages each) made Azurite,
/// which shares the two cores with the contenders, slower from run to run. Each run deletes its queue
/// at the end and the leftovers of runs that did not finish at its start.
/// </summary>
internal static class BenchmarkQueues
{
    public const string Prefix = "bench-usage-";

    public static string NewName() => Prefix + Guid.NewGuid().ToString("n")[..8];

    /// <summary>Deletes every <c>bench-usage-…</c> queue; returns how many there were.</summary>
    public static async Task<int> DeleteAllAsync()
    {
        var service = new QueueServiceClient(TestEnvironment.StorageConnectionString);
        var deleted = 0;
        await foreach (var queue in service.GetQueuesAsync(prefix: Prefix))
        {
            await service.DeleteQueueAsync(queue.Name);
            deleted++;
        }

        return deleted;
    }
}
