using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// The usage queue consumers: local mode's Storage queue consumer and the Service Bus processor (both
/// modes): <c>UsageConsumer__Enabled</c>, <c>__Concurrency</c>, <c>__VisibilityTimeout</c>,
/// <c>__MaxDequeueCount</c>, <c>__PollInterval</c>. The Storage queue trigger follows host.json instead.
/// </summary>
internal sealed class UsageConsumerOptions
{
    public const string Section = "UsageConsumer";

    /// <summary>Consume the configured usage queue (the Storage queue trigger, under the host, is disabled by its app setting instead).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Messages processed at once.</summary>
    [Range(1, 1024, ErrorMessage = "The setting UsageConsumer__Concurrency must be between 1 and 1024.")]
    public int Concurrency { get; set; } = 32;

    /// <summary>
    /// Storage: how long a received message stays invisible, extended by this every third of it while
    /// it is processed; a consumer that dies leaves it to reappear after at most this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:03", "07:00:00:00", ErrorMessage = "The setting UsageConsumer__VisibilityTimeout must be between 3 seconds and 7 days.")]
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Storage: deliveries of a malformed message before it moves to the poison queue (the trigger's default is 5 too).</summary>
    [Range(1, 1000, ErrorMessage = "The setting UsageConsumer__MaxDequeueCount must be between 1 and 1000.")]
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>
    /// Storage: the wait after an empty receive. Part of the spend propagation delay (publisher linger
    /// + this + one batch): 100 ms keeps it under a second; an idle consumer costs 10 receives a second.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "00:01:00", ErrorMessage = "The setting UsageConsumer__PollInterval must be between 10 ms and 1 minute.")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);
}

[OptionsValidator]
internal sealed partial class UsageConsumerOptionsValidator : IValidateOptions<UsageConsumerOptions>;
