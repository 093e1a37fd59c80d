using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Costing;
using Gateway.Domain.Usage.Publishing;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Gateway.Usage.Benchmarks;

/// <summary>
/// What publishing costs the proxy: <see cref="UsageEventPublisher.Publish"/> is the only call on the
/// request path (a bounded channel write); serializing happens on the publisher's background loop and
/// costing in ingest, off the request path.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(InProcessConfig))]
public class PublisherBenchmarks
{
    private UsageEventPublisher _publisher = null!;
    private ServiceProvider _services = null!;
    private UsageEventMessage _message = null!;
    private UsageCostCalculator _calculator = null!;
    private UsageEventMessage _estimated = null!;

    [GlobalSetup]
    public void Setup()
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var options = Options.Create(new UsagePublisherOptions { Capacity = 10_000_000, Linger = TimeSpan.FromMilliseconds(50) });
        _publisher = new UsageEventPublisher(new DiscardingTransport(), options, TimeProvider.System, _services.GetRequiredService<IMeterFactory>(), NullLogger<UsageEventPublisher>.Instance);
        _publisher.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _message = new UsageEventMessage
        {
            EventId = Guid.CreateVersion7().ToString(),
            CreatedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            KeyId = Guid.NewGuid().ToString(),
            Tags = ["team-a"],
            Provider = "openai",
            SettingId = Guid.NewGuid().ToString(),
            Model = "gpt-4o-mini",
            Path = "/api/providers/openai/v1/chat/completions",
            Method = "POST",
            Status = 200,
            LatencyMs = 420,
            Usage = new TokenUsage { PromptTokens = 1000, CompletionTokens = 200 },
        };
        _estimated = new UsageEventMessage
        {
            EventId = _message.EventId,
            Model = "gpt-4o-mini",
            Provider = "openai",
            Path = _message.Path,
            PromptText = string.Join(' ', Enumerable.Repeat("The quick brown fox jumps over the lazy dog.", 50)),
            CompletionText = string.Join(' ', Enumerable.Repeat("Hello! How can I help you today?", 30)),
        };
        _calculator = new UsageCostCalculator(PriceTable.Default);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _publisher.StopAsync(CancellationToken.None).GetAwaiter().GetResult();
        _publisher.Dispose();
        _services.Dispose();
    }

    /// <summary>The request path: one channel write.</summary>
    [Benchmark(Baseline = true)]
    public void Publish() => _publisher.Publish(_message);

    /// <summary>Background: the queue body of one event.</summary>
    [Benchmark]
    public byte[] Serialize() => UsageMessageCodec.Serialize(_message);

    /// <summary>Ingest: costing with provider usage.</summary>
    [Benchmark]
    public UsageCost CostReported() => _calculator.Calculate(_message, null);

    /// <summary>Ingest: costing a streamed completion without usage (SharpToken over ~600 and ~270 tokens).</summary>
    [Benchmark]
    public UsageCost CostEstimated() => _calculator.Calculate(_estimated, null);

    private sealed class DiscardingTransport : IUsageEventTransport
    {
        public Task SendBatchAsync(IReadOnlyList<UsageEventMessage> batch, CancellationToken cancellationToken)
        {
            foreach (var message in batch)
            {
                _ = UsageMessageCodec.Serialize(message);
            }

            return Task.CompletedTask;
        }
    }

    private sealed class InProcessConfig : ManualConfig
    {
        public InProcessConfig()
        {
            AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance));
            WithOptions(ConfigOptions.DisableOptimizationsValidator);

            // Reports go to the temp folder, not into the working tree.
            ArtifactsPath = Path.Combine(Path.GetTempPath(), "gateway-usage-benchmarks");
        }
    }
}
