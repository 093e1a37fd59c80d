using System.Diagnostics;
using System.Globalization;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Publishing;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Usage.Benchmarks;

/// <summary>
/// Events per second the proxy's publisher sustains into the Storage queue (Azurite), and the
/// process CPU it spends per event: the batching publisher, then for comparison the previous shape
/// (one Put Message per event, 16 in flight).
/// </summary>
internal static class PublisherThroughput
{
    public static async Task RunAsync(int events, int rate)
    {
        // A private Azurite: the shared one's speed depends on everyone else's tests.
        await using var azurite = await AzuriteProcess.StartAsync();
        var storage = azurite.ConnectionString;
        var spill = Path.Combine(Path.GetTempPath(), "gateway-bench-spill-" + Guid.NewGuid().ToString("n"));
        var queue = TestEnvironment.UniqueName("bench-pub-");
        await using (var services = PublisherSetup.Build(storage, queue, spill))
        {
            var publisher = services.GetRequiredService<UsageEventPublisher>();
            await publisher.StartAsync(CancellationToken.None);
            await PublishAsync(publisher, "warm", 5_000, 0, () => publisher.SentCount);
            var sentBefore = publisher.SentCount;
            var (elapsed, cpu) = await PublishAsync(publisher, Guid.NewGuid().ToString("n")[..8], events, rate, () => publisher.SentCount - sentBefore);
            Report("batching publisher (envelopes, Storage queue)", events, rate, elapsed, cpu, publisher.SpilledCount, publisher.DroppedCount);
            await publisher.StopAsync(CancellationToken.None);
            await services.GetRequiredService<UsageQueueClients>().Queue.DeleteIfExistsAsync();
        }

        await using (var services = PublisherSetup.Build(storage, queue, spill))
        {
            // The shape before batching: one Put Message per event.
            var clients = services.GetRequiredService<UsageQueueClients>();
            await clients.EnsureQueueAsync(CancellationToken.None);
            var legacyEvents = Math.Min(events, 10_000);
            var batch = Enumerable.Range(0, legacyEvents).Select(i => PublisherSetup.Event("legacy", i)).ToList();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            await Parallel.ForEachAsync(batch, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (message, token)
                => await clients.Queue.SendMessageAsync(BinaryData.FromBytes(UsageMessageCodec.Serialize(message)), null, TimeSpan.FromSeconds(-1), token));
            Report("one message per event (before), as fast as it goes", legacyEvents, 0, watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu, 0, 0);
            await clients.Queue.DeleteIfExistsAsync();
        }

        if (Directory.Exists(spill))
        {
            Directory.Delete(spill, recursive: true);
        }
    }

    /// <summary>Publishes at <paramref name="rate"/> events/s (0: as fast as the buffer takes them) and waits until all were sent.</summary>
    private static async Task<(TimeSpan Elapsed, TimeSpan Cpu)> PublishAsync(UsageEventPublisher publisher, string run, int events, int rate, Func<long> sent)
    {
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < events; i++)
        {
            publisher.Publish(PublisherSetup.Event(run, i));
            if (i % 100 == 99)
            {
                var due = rate > 0 ? TimeSpan.FromSeconds((i + 1) / (double)rate) : TimeSpan.Zero;
                while (watch.Elapsed < due || publisher.SentCount + 40_000 < i)
                {
                    await Task.Delay(1);
                }
            }
        }

        while (sent() < events)
        {
            await Task.Delay(5);
        }

        return (watch.Elapsed, Process.GetCurrentProcess().TotalProcessorTime - cpu);
    }

    private static void Report(string what, int events, int rate, TimeSpan elapsed, TimeSpan cpu, long spilled, long dropped)
        => Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{what}: {events} events offered at {(rate > 0 ? rate.ToString(CultureInfo.InvariantCulture) + "/s" : "full speed")}, all sent in {elapsed.TotalSeconds:F2} s = {events / elapsed.TotalSeconds:F0} events/s; process CPU {cpu.TotalMicroseconds / events:F1} µs per event (spilled {spilled}, dropped {dropped})"));
}
