using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Usage.Publishing;

/// <summary>The proxy's event buffer: <c>UsagePublisher__Capacity</c>, <c>__MaxBatchSize</c>, <c>__Linger</c>, <c>__ShutdownTimeout</c>.</summary>
public sealed class UsagePublisherOptions
{
    public const string Section = "UsagePublisher";

    /// <summary>Events buffered in memory at most; past it new events are dropped and counted.</summary>
    [Range(1, 10_000_000, ErrorMessage = "The setting UsagePublisher__Capacity must be between 1 and 10,000,000.")]
    public int Capacity { get; set; } = 50_000;

    [Range(1, 1000, ErrorMessage = "The setting UsagePublisher__MaxBatchSize must be between 1 and 1000.")]
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>How long a first event waits for others to share its batch; bounds what a hard crash can lose.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10", ErrorMessage = "The setting UsagePublisher__Linger must be between 0 and 10 seconds.")]
    public TimeSpan Linger { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>How long a graceful shutdown keeps sending what is buffered.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00", ErrorMessage = "The setting UsagePublisher__ShutdownTimeout must be between 0 and 5 minutes.")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

[OptionsValidator]
internal sealed partial class UsagePublisherOptionsValidator : IValidateOptions<UsagePublisherOptions>;
