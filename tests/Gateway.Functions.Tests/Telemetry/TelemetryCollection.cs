namespace Gateway.Functions.Tests.Telemetry;

/// <summary>
/// Telemetry tests run alone: the proxy's <c>ActivitySource</c> is process-wide and an SDK listens
/// to meters by name, so another test's proxy running at the same time would add to what they count.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
