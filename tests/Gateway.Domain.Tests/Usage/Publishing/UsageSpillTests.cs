using System.Text.RegularExpressions;
using Gateway.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Gateway.Domain.Tests.Usage.Publishing;

/// <summary>
/// The queue down: events go to the spill store on disk and are sent, oldest first, when it is back;
/// a full store drops (counted, logged with the number); a stop exits within its grace; the next
/// start sends what a previous run left. Outages use a private Azurite or a port nobody listens on.
/// </summary>
public sealed partial class UsageSpillTests(ITestOutputHelper output, PrivateAzurite storage) : IDisposable, IClassFixture<PrivateAzurite>
{
    private readonly string _spill = Path.Combine(Path.GetTempPath(), "gateway-spill-test-" + Guid.NewGuid().ToString("n"));

    public void Dispose()
    {
        if (Directory.Exists(_spill))
        {
            Directory.Delete(_spill, recursive: true);
        }
    }

    [Fact]
    public async Task QueueDownThenBack_EventsSpillThenAllAreSentOldestFirst()
    {
        await using var azurite = await AzuriteProcess.StartAsync();
        await using var harness = PublisherHarness.Create(azurite.ConnectionString, _spill, new()
        {
            ["UsagePublisher:SendTimeout"] = "00:00:02",
            ["UsagePublisher:MaxBatchSize"] = "100", // chunks of 100: the order below is checked per chunk
        });
        await harness.StartAsync();
        var publisher = harness.Publisher;
        var run = Guid.NewGuid().ToString("n")[..8];
        for (var i = 0; i < 500; i++)
        {
            publisher.Publish(PublisherHarness.Event(run, i));
        }

        await Eventually.AssertAsync(() => publisher.SentCount == 500, TimeSpan.FromSeconds(30), "the first events were sent");
        var before = await PublisherHarness.ReadQueueAsync(azurite.ConnectionString, harness.QueueName);

        await azurite.StopAsync();
        for (var i = 500; i < 1_500; i++)
        {
            publisher.Publish(PublisherHarness.Event(run, i));
            if (i % 100 == 0)
            {
                await Task.Delay(20);
            }
        }

        await Eventually.AssertAsync(() => publisher.SpillPendingCount == 1_000, TimeSpan.FromSeconds(30), "the events published while the queue was down are in the spill store");
        Assert.Equal(1_000, PublisherHarness.SpillLines(_spill));

        await azurite.StartAgainAsync();
        for (var i = 1_500; i < 2_000; i++)
        {
            publisher.Publish(PublisherHarness.Event(run, i));
        }

        await Eventually.AssertAsync(() => publisher.SpillPendingCount == 0 && publisher.SentCount >= 2_000, TimeSpan.FromSeconds(60), "the spill store was sent");
        await Eventually.AssertAsync(() => PublisherHarness.SpillLines(_spill) == 0, TimeSpan.FromSeconds(5), "the spill files are gone");
        Assert.Equal(0, publisher.DroppedCount);

        var after = await PublisherHarness.ReadQueueAsync(azurite.ConnectionString, harness.QueueName);
        var order = after.SelectMany(m => m.Events).Select(e => UsageTestEvents.Number(e.EventId)).ToList();
        Assert.Equal(Enumerable.Range(500, 1_500), order.Distinct().Order());
        Assert.Equal(500, before.SelectMany(m => m.Events).Select(e => e.EventId).Distinct().Count());
        // Oldest first: the spill store goes out in waves of MaxConcurrentSends (4) chunks of 100, so
        // only the last wave of spilled events may share the queue with later ones.
        Assert.True(order.Take(600).All(n => n < 1_500), "the spilled events are sent before later ones: " + string.Join(",", order.Take(600).Where(n => n >= 1_500).Take(10)));
        var position = order.Select((n, i) => (n, i)).GroupBy(p => p.n).ToDictionary(g => g.Key, g => g.Min(p => p.i));
        var firstSpilled = Enumerable.Range(500, 200).Average(n => position[n]);
        var lastSpilled = Enumerable.Range(1_300, 200).Average(n => position[n]);
        output.WriteLine($"mean queue position of the first 200 spilled events {firstSpilled:F0}, of the last 200 {lastSpilled:F0}");
        Assert.True(firstSpilled < lastSpilled, "older spilled events go first");

        await harness.StopAsync();
        var lines = harness.Logs.Lines;
        Assert.Contains(lines, l => l.Level == LogLevel.Warning && l.Message.Contains("kept in the spill store", StringComparison.Ordinal));
        var back = lines.Select(l => SentFromSpillLog().Match(l.Message)).Where(m => m.Success).ToList();
        Assert.True(back.Count > 0 && back.Sum(m => int.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)) >= 1_000, string.Join(" | ", lines.Select(l => l.Message)));
        Assert.DoesNotContain(lines, l => l.Message.Contains("lost", StringComparison.Ordinal) || l.Message.Contains("dropped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SpillStoreFull_DropsAreCountedAndLoggedWithTheNumber()
    {
        await using var harness = PublisherHarness.Create(UsageTestEvents.UnreachableStorage(), _spill, new()
        {
            ["UsagePublisher:SpillMaxBytes"] = "40000",
            ["UsagePublisher:SendTimeout"] = "00:00:00.500",
        });
        await harness.StartAsync();
        var run = Guid.NewGuid().ToString("n")[..8];
        for (var i = 0; i < 1_000; i++)
        {
            harness.Publisher.Publish(PublisherHarness.Event(run, i));
        }

        await Eventually.AssertAsync(() => harness.Publisher.SpilledCount + harness.Publisher.DroppedCount == 1_000, TimeSpan.FromSeconds(30), "every event was spilled or dropped");
        var spilled = harness.Publisher.SpilledCount;
        var dropped = harness.Publisher.DroppedCount;
        output.WriteLine($"spilled {spilled}, dropped {dropped}");
        Assert.InRange(spilled, 1, 200);
        Assert.Equal(1_000 - spilled, dropped);
        Assert.Equal(spilled, PublisherHarness.SpillLines(_spill));

        // The counter moves just before the log line is written.
        List<Match> Logged() => harness.Logs.Lines.Select(l => DroppedLog().Match(l.Message)).Where(m => m.Success).ToList();
        await Eventually.AssertAsync(() => Logged().Sum(m => long.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)) == dropped, TimeSpan.FromSeconds(5), "every drop is logged with its number");
        var logged = Logged();
        Assert.Equal(dropped, logged.Sum(m => long.Parse(m.Groups["count"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal(dropped, long.Parse(logged[^1].Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture));
        await harness.StopAsync();
    }

    [Fact]
    public async Task StopWithQueueDown_ExitsWithinTheGraceWithEverythingInTheSpillStore()
    {
        await using var harness = PublisherHarness.Create(UsageTestEvents.UnreachableStorage(), _spill, new()
        {
            ["UsagePublisher:ShutdownTimeout"] = "00:00:10",
        });
        await harness.StartAsync();
        var run = Guid.NewGuid().ToString("n")[..8];
        for (var i = 0; i < 5_000; i++)
        {
            harness.Publisher.Publish(PublisherHarness.Event(run, i));
        }

        var stopped = await harness.StopAsync();
        output.WriteLine($"stop with the queue down took {stopped.TotalSeconds:F2} s");

        Assert.True(stopped < TimeSpan.FromSeconds(13), $"stop took {stopped}"); // ShutdownTimeout plus the spill grace
        Assert.Equal(0, harness.Publisher.DroppedCount);
        Assert.Equal(5_000, PublisherHarness.SpillLines(_spill));
        Assert.Contains(harness.Logs.Lines, l => l.Message.Contains("Stopped with 5000 usage events in the spill store", StringComparison.Ordinal));
        Assert.DoesNotContain(harness.Logs.Lines, l => l.Message.Contains("lost", StringComparison.Ordinal));
    }

    [Fact]
    public async Task StartWithALeftoverSpillStore_SendsItAndEmptiesIt()
    {
        var run = Guid.NewGuid().ToString("n")[..8];
        await using (var down = PublisherHarness.Create(UsageTestEvents.UnreachableStorage(), _spill))
        {
            await down.StartAsync();
            for (var i = 0; i < 300; i++)
            {
                down.Publisher.Publish(PublisherHarness.Event(run, i));
            }

            await down.StopAsync();
        }

        Assert.Equal(300, PublisherHarness.SpillLines(_spill));

        await using var up = PublisherHarness.Create(storage.ConnectionString, _spill);
        try
        {
            await up.StartAsync();
            await Eventually.AssertAsync(() => up.Publisher.SentCount == 300, TimeSpan.FromSeconds(30), "the leftover events were sent");
            await Eventually.AssertAsync(() => PublisherHarness.SpillLines(_spill) == 0, TimeSpan.FromSeconds(5), "the spill files are gone");
            var messages = await PublisherHarness.ReadQueueAsync(storage.ConnectionString, up.QueueName);
            Assert.Equal(Enumerable.Range(0, 300), messages.SelectMany(m => m.Events).Select(e => UsageTestEvents.Number(e.EventId)).Distinct().Order());
            Assert.Contains(up.Logs.Lines, l => l.Message.Contains("300 usage events left by an earlier run", StringComparison.Ordinal));
            await up.StopAsync();
            Assert.Empty(Directory.GetDirectories(_spill));
        }
        finally
        {
            await up.Clients.Queue.DeleteIfExistsAsync();
        }
    }

    [GeneratedRegex(@"(?<count>\d+) events sent from the spill store")]
    private static partial Regex SentFromSpillLog();

    [GeneratedRegex(@"dropped (?<count>\d+) usage events \((?<total>\d+) dropped since start\)")]
    private static partial Regex DroppedLog();
}
