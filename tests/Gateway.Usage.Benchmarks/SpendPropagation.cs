using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Gateway.Domain.Limits;
using Gateway.Domain.Redis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Gateway.Usage.Benchmarks;

/// <summary>
/// Spend propagation with the default consumer settings: from sending the message carrying the event
/// that crosses a key's spend limit to the first refusal of the limiter the proxy calls, p50/p99 over
/// many keys, while other traffic flows (<paramref name="loadEventsPerSecond"/>). The proxy's side adds
/// the publisher's linger (see its benchmark) before the send.
/// </summary>
internal static class SpendPropagation
{
    public static async Task RunAsync(int samples, int loadEventsPerSecond)
    {
        await using var bench = await IngestBench.StartAsync(concurrency: 32);
        await using var app = await bench.StartIngestAsync(consumer: true);
        var limiter = new RedisLimiter(app.Services.GetRequiredService<RedisConnection>(), new LocalRateLimiter(), TimeProvider.System, app.Services.GetRequiredService<IMeterFactory>(), NullLogger<RedisLimiter>.Instance);

        using var stopLoad = new CancellationTokenSource();
        var load = loadEventsPerSecond > 0 ? LoadAsync(bench, loadEventsPerSecond, stopLoad.Token) : Task.CompletedTask;
        var latencies = new List<double>(samples);
        for (var i = 0; i < samples; i++)
        {
            var subject = new LimitSubject(SpendCounterKeys.Owner.Key, $"prop-{i}", new SubjectLimits { CostLimitInUsd = 0.001m });
            var crossing = IngestThroughput.Event(i);
            crossing.KeyId = subject.Id; // $0.00027 with gpt-4o-mini's prices: four of them cross $0.001
            crossing.Usage = new Gateway.Domain.Usage.TokenUsage { PromptTokens = 10_000, CompletionTokens = 0 };
            crossing.Model = "gpt-4o";

            var watch = Stopwatch.StartNew();
            await bench.Queue.SendMessageAsync(BinaryData.FromBytes(BatchMessage.Encode([crossing])));
            while ((await limiter.CheckAsync([subject], CancellationToken.None)).Outcome == LimitOutcome.Allowed)
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"key {subject.Id} was not refused within 30 s");
                }

                await Task.Delay(2);
            }

            latencies.Add(watch.Elapsed.TotalMilliseconds);
            await Task.Delay(Random.Shared.Next(0, 150)); // arrive at every phase of the consumer's poll
        }

        await stopLoad.CancelAsync();
        await load;
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"spend propagation, send → first refusal ({samples} keys, background load {loadEventsPerSecond} events/s, default poll interval): p50 {Percentile(latencies, 0.50):F0} ms, p95 {Percentile(latencies, 0.95):F0} ms, p99 {Percentile(latencies, 0.99):F0} ms, max {latencies[^1]:F0} ms"));
    }

    // Batches of 100 for other keys at the given rate.
    private static async Task LoadAsync(IngestBench bench, int eventsPerSecond, CancellationToken stop)
    {
        var interval = TimeSpan.FromSeconds((double)IngestThroughput.EventsPerMessage / eventsPerSecond);
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var body = IngestThroughput.Batches(IngestThroughput.EventsPerMessage).First();
                _ = bench.Queue.SendMessageAsync(BinaryData.FromBytes(body), cancellationToken: CancellationToken.None);
            }
        }
        catch (OperationCanceledException)
        {
            // Done.
        }
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
