using System.ComponentModel.DataAnnotations;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Usage.Publishing;

/// <summary>
/// The proxy's event buffer, its sends and its spill store (<c>UsagePublisher__*</c>). See
/// <c>Usage/Publishing/README.md</c> for what each bounds.
/// </summary>
public sealed class UsagePublisherOptions
{
    public const string Section = "UsagePublisher";

    /// <summary>Events buffered in memory at most; past it new events are dropped and counted.</summary>
    [Range(1, 10_000_000, ErrorMessage = "The setting UsagePublisher__Capacity must be between 1 and 10,000,000.")]
    public int Capacity { get; set; } = 50_000;

    /// <summary>Events per flush (one transport call, packed into as many queue messages as their size needs).</summary>
    [Range(1, 100_000, ErrorMessage = "The setting UsagePublisher__MaxBatchSize must be between 1 and 100,000.")]
    public int MaxBatchSize { get; set; } = 2_000;

    /// <summary>How long a first event waits for others to share its flush; bounds what a hard crash can lose.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10", ErrorMessage = "The setting UsagePublisher__Linger must be between 0 and 10 seconds.")]
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Flushes in flight at once.</summary>
    [Range(1, 64, ErrorMessage = "The setting UsagePublisher__MaxConcurrentSends must be between 1 and 64.")]
    public int MaxConcurrentSends { get; set; } = 4;

    /// <summary>A flush not acknowledged within this is treated as failed: its events go to the spill store.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:05:00", ErrorMessage = "The setting UsagePublisher__SendTimeout must be between 100 ms and 5 minutes.")]
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest wait between attempts to send the spill store while the queue is unreachable.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:05:00", ErrorMessage = "The setting UsagePublisher__RetryMaxDelay must be between 10 ms and 5 minutes.")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a graceful shutdown keeps sending; then what is left goes to the spill store. Keep it
    /// a few seconds under the host's shutdown timeout (25 s for the proxy).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "The setting UsagePublisher__ShutdownTimeout must be between 0 and 5 minutes.")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The spill store's folder on the instance's disk; empty: <c>{temp}/gateway-usage-spill/{UsageQueueName}</c>.</summary>
    public string SpillFolder { get; set; } = DefaultSpillFolder(null);

    /// <summary>The spill store's size cap in bytes; past it new events are dropped, counted and logged.</summary>
    [Range(1_024, long.MaxValue, ErrorMessage = "The setting UsagePublisher__SpillMaxBytes must be at least 1024.")]
    public long SpillMaxBytes { get; set; } = 256L * 1024 * 1024;

    /// <summary>The folder the spill store uses: <see cref="SpillFolder"/> or its default.</summary>
    public string ResolvedSpillFolder
        => string.IsNullOrWhiteSpace(SpillFolder) ? DefaultSpillFolder(null) : Path.GetFullPath(SpillFolder);

    /// <summary>
    /// One folder per queue name, so that a start only sends leftovers that were meant for its queue
    /// (and test processes with their own queues never pick up each other's).
    /// </summary>
    public static string DefaultSpillFolder(string? queueName)
    {
        var name = string.IsNullOrWhiteSpace(queueName) ? UsageTransportOptions.DefaultQueueName : queueName.Trim();
        var safe = string.Concat(name.Select(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        return Path.Combine(Path.GetTempPath(), "gateway-usage-spill", safe);
    }
}

[OptionsValidator]
internal sealed partial class UsagePublisherOptionsValidator : IValidateOptions<UsagePublisherOptions>;
