namespace Gateway.Domain.Routing;

/// <summary>
/// The per-instance circuit breaker of each provider setting in rotation (<c>Rotation__*</c>):
/// a setting whose attempts fail at <see cref="FailureRatio"/> or more, over at least
/// <see cref="MinimumThroughput"/> attempts within <see cref="SamplingDuration"/>, gets no
/// traffic for <see cref="BreakDuration"/> (then one probe decides).
/// </summary>
public sealed class RotationOptions
{
    public const string Section = "Rotation";

    public double FailureRatio { get; set; } = 0.5;

    public int MinimumThroughput { get; set; } = 4;

    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
