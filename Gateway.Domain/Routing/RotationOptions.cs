using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Routing;

/// <summary>
/// The per-instance circuit breaker of each provider setting in rotation (<c>Rotation__*</c>):
/// a setting whose attempts fail at <see cref="FailureRatio"/> or more, over at least
/// <see cref="MinimumThroughput"/> attempts within <see cref="SamplingDuration"/>, gets no
/// traffic for <see cref="BreakDuration"/> (then one probe decides). The ranges are Polly's.
/// </summary>
public sealed class RotationOptions
{
    public const string Section = "Rotation";

    [Range(0.01, 1.0, ErrorMessage = "The setting Rotation__FailureRatio must be between 0.01 and 1.")]
    public double FailureRatio { get; set; } = 0.5;

    [Range(2, 10_000, ErrorMessage = "The setting Rotation__MinimumThroughput must be between 2 and 10000.")]
    public int MinimumThroughput { get; set; } = 4;

    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00", ErrorMessage = "The setting Rotation__SamplingDuration must be between 500 ms and 1 day.")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    [Range(typeof(TimeSpan), "00:00:00.500", "1.00:00:00", ErrorMessage = "The setting Rotation__BreakDuration must be between 500 ms and 1 day.")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}

[OptionsValidator]
internal sealed partial class RotationOptionsValidator : IValidateOptions<RotationOptions>;
