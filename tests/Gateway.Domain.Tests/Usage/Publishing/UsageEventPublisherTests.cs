using System.Diagnostics;
using System.Globalization;
using Gateway.Testing;
using Xunit.Abstractions;

namespace Gateway.Domain.Tests.Usage.Publishing;

/// <summary>The publisher against the shared Azurite: sustained throughput and a graceful stop that sends everything.</summary>
public sealed class UsageEventPublisherTests(ITestOutputHelper output, PrivateAzurite storage) : IAsyncLifetime, IClassFixture<PrivateAzurite>
{
    private readonly string _spill = Path.Combine(Path.GetTempPath(), "gateway-spill-test-" + Guid.NewGuid().ToString("n"));
    private PublisherHarness _harness = null!;

    public async Task InitializeAsync()
    {
        // These tests count what reaches a healthy queue, and assert that nothing was spilled. With
        // the default SendTimeout (5 s), a send that a loaded machine stalls for longer (the private
        // Azurite is a Node process competing for two cores with every other test project) counts
        // as a failed send and its flush, and every flush after it until the store is empty, goes
        // through the spill store: everything still arrives, but SpilledCount is not 0. A minute
        // keeps a slow-but-working queue from looking like an outage; a send that fails still spills.
        _harness = PublisherHarness.Create(storage.ConnectionString, _spill, new Dictionary<string, string?>
        {
            ["UsagePublisher:SendTimeout"] = "00:01:00",
        });
        await _harness.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _harness.Clients.Queue.DeleteIfExistsAsync();
        await _harness.DisposeAsync();
        if (Directory.Exists(_spill))
        {
            Directory.Delete(_spill, recursive: true);
        }
    }

    [Fact]
    public async Task Publish_SustainedRate_KeepsUpAndDeliversEveryEvent()
    {
        // 8,000 events/s offered for 5 s; the issue asks for >= 5,000 events/s on the development
        // machine. Measured and printed; the floor asserted is loose (a loaded CI machine is slower).
        const int rate = 8_000;
        const int total = 40_000;
        var run = Guid.NewGuid().ToString("n")[..8];
        var publisher = _harness.Publisher;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < total; i++)
        {
            publisher.Publish(PublisherHarness.Event(run, i));
            if (i % 200 == 199)
            {
                var due = TimeSpan.FromSeconds((i + 1) / (double)rate);
                if (due > watch.Elapsed)
                {
                    await Task.Delay(due - watch.Elapsed);
                }
            }
        }

        var offered = watch.Elapsed;
        await Eventually.AssertAsync(() => publisher.SentCount == total, TimeSpan.FromSeconds(120), "every event was sent");
        var elapsed = watch.Elapsed;
        var cpuPerEvent = (Process.GetCurrentProcess().TotalProcessorTime - cpu) / total;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{total} events offered in {offered.TotalSeconds:F2} s, all sent after {elapsed.TotalSeconds:F2} s: {total / elapsed.TotalSeconds:F0} events/s; test process CPU {cpuPerEvent.TotalMicroseconds:F1} µs per event (publishing and sending)"));

        foreach (var line in _harness.Logs.Lines)
        {
            output.WriteLine($"{line.Level}: {line.Message}");
        }

        Assert.Equal(0, publisher.DroppedCount);
        Assert.Equal(0, publisher.SpilledCount);
        Assert.True(total / elapsed.TotalSeconds > 1_000, $"{total / elapsed.TotalSeconds:F0} events/s");
        var messages = await PublisherHarness.ReadQueueAsync(storage.ConnectionString, _harness.QueueName);
        Assert.Equal(total, messages.SelectMany(m => m.Events).Select(e => e.EventId).Distinct().Count());
        Assert.True(messages.Count < total / 50, $"{messages.Count} messages for {total} events");
    }

    [Fact]
    public async Task Stop_WithEventsBuffered_SendsThemAllBeforeReturning()
    {
        const int total = 20_000;
        var run = Guid.NewGuid().ToString("n")[..8];
        for (var i = 0; i < total; i++)
        {
            _harness.Publisher.Publish(PublisherHarness.Event(run, i));
        }

        var stopped = await _harness.StopAsync();
        output.WriteLine($"stop took {stopped.TotalSeconds:F2} s");

        Assert.Equal(total, _harness.Publisher.SentCount);
        Assert.Equal(0, _harness.Publisher.SpilledCount);
        Assert.Equal(0, PublisherHarness.SpillLines(_spill));
        Assert.DoesNotContain(_harness.Logs.Lines, l => l.Message.Contains("lost", StringComparison.Ordinal));
        var messages = await PublisherHarness.ReadQueueAsync(storage.ConnectionString, _harness.QueueName);
        Assert.Equal(total, messages.SelectMany(m => m.Events).Select(e => e.EventId).Distinct().Count());
    }
}
