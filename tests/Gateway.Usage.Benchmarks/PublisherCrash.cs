using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Gateway.Domain.Usage.Publishing;
using Gateway.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Usage.Benchmarks;

/// <summary>
/// Events lost on kill -9: a child process publishes at a fixed rate and writes the number of every
/// event <see cref="UsageEventPublisher.Publish"/> accepted to its stdout (the acknowledgement);
/// after a while it is killed with SIGKILL, and the event ids on the queue and in the spill store
/// are counted against what it acknowledged. Run with the queue up and with the queue down (every
/// event goes to the spill store).
/// </summary>
internal static class PublisherCrash
{
    public static async Task RunAsync(int rate, int seconds)
    {
        await using var azurite = await AzuriteProcess.StartAsync(); // private: the shared one's speed depends on everyone else
        foreach (var queueUp in new[] { true, false })
        {
            var spill = Path.Combine(Path.GetTempPath(), "gateway-bench-spill-" + Guid.NewGuid().ToString("n"));
            var queue = TestEnvironment.UniqueName("bench-kill-");
            var storage = queueUp ? azurite.ConnectionString : UsageTestEvents.UnreachableStorage();
            var run = Guid.NewGuid().ToString("n")[..8];
            var acknowledged = await RunChildAsync(storage, queue, spill, run, rate, seconds);

            var queued = queueUp ? await PublisherSetup.QueuedEventIdsAsync(storage, queue) : [];
            var spilled = PublisherSetup.SpilledEventIds(spill);
            var found = new HashSet<string>(queued, StringComparer.Ordinal);
            found.UnionWith(spilled);
            var lost = Enumerable.Range(0, (int)acknowledged).Count(i => !found.Contains(PublisherSetup.Event(run, i).EventId));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"kill -9 at {rate} events/s after {seconds} s, queue {(queueUp ? "up" : "down")}: acknowledged {acknowledged}, on the queue {queued.Count}, in the spill store {spilled.Count}, lost {lost} ({lost * 1000.0 / rate:F0} ms of traffic)"));

            if (queueUp)
            {
                await new Azure.Storage.Queues.QueueClient(storage, queue).DeleteIfExistsAsync();
            }

            if (Directory.Exists(spill))
            {
                Directory.Delete(spill, recursive: true);
            }
        }
    }

    /// <summary>The child: publishes <paramref name="rate"/> events/s until killed, printing each accepted event's number.</summary>
    public static async Task ChildAsync(string storage, string queue, string spill, string run, int rate)
    {
        await using var services = PublisherSetup.Build(storage, queue, spill, static l => l.SetMinimumLevel(LogLevel.None));
        var publisher = services.GetRequiredService<UsageEventPublisher>();
        await publisher.StartAsync(CancellationToken.None);
        using var stdout = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        await stdout.WriteLineAsync("ready");
        var watch = Stopwatch.StartNew();
        for (long i = 0; ; i++)
        {
            var due = TimeSpan.FromSeconds(i / (double)rate);
            if (due > watch.Elapsed)
            {
                await Task.Delay(due - watch.Elapsed);
            }

            publisher.Publish(PublisherSetup.Event(run, i));
            await stdout.WriteLineAsync(i.ToString(CultureInfo.InvariantCulture));
        }
    }

    private static async Task<long> RunChildAsync(string storage, string queue, string spill, string run, int rate, int seconds)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var argument in new[] { "publisher-child", storage, queue, spill, run, rate.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        var acknowledged = 0L;
        var ready = new TaskCompletionSource();
        var reader = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line == "ready")
                {
                    ready.TrySetResult();
                }
                else if (long.TryParse(line, CultureInfo.InvariantCulture, out var n))
                {
                    Volatile.Write(ref acknowledged, n + 1);
                }
            }
        });
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        child.Kill(entireProcessTree: false); // SIGKILL
        await child.WaitForExitAsync();
        await reader;
        return Volatile.Read(ref acknowledged);
    }
}
