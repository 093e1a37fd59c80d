using System.Globalization;
using OpenTelemetry.Trace;

namespace Gateway.Domain.Telemetry;

/// <summary>
/// The gateway's trace sampler: parent-based (a caller's sampled <c>traceparent</c> is recorded)
/// over a trace-id ratio, which tags every span it keeps with the rate it was kept at:
/// <c>microsoft.sample_rate</c>, a percentage. Azure Monitor's exporter turns that attribute into
/// the telemetry item's <c>sampleRate</c>, so Application Insights counts a request kept at 10 %
/// as ten requests instead of one.
/// </summary>
/// <remarks>
/// A trace the gateway starts is kept at its ratio; the rate travels in <c>tracestate</c>
/// (<c>microsoft.sample_rate=10</c>, Application Insights' own convention), so the spans under it
/// carry the same rate. A span kept because a caller's trace was sampled is counted once (100 %),
/// unless the caller's <c>tracestate</c> gives its rate.
/// </remarks>
public sealed class SampleRateSampler : Sampler
{
    /// <summary>The span attribute Azure Monitor's exporter reads as the item's sample rate.</summary>
    public const string Attribute = "microsoft.sample_rate";

    private const string TraceStateKey = Attribute + "=";

    private readonly ParentBasedSampler _decision;
    private readonly double _percent;
    private readonly string _traceState;

    public SampleRateSampler(double ratio)
    {
        _decision = new ParentBasedSampler(new TraceIdRatioBasedSampler(ratio));
        _percent = Math.Round(ratio * 100, 4);
        _traceState = TraceStateKey + _percent.ToString(CultureInfo.InvariantCulture);
        Description = $"SampleRateSampler({ratio.ToString(CultureInfo.InvariantCulture)})";
    }

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters)
    {
        var decision = _decision.ShouldSample(samplingParameters);
        if (decision.Decision != SamplingDecision.RecordAndSample)
        {
            return decision;
        }

        var parent = samplingParameters.ParentContext;
        if (parent.TraceId == default)
        {
            return new SamplingResult(SamplingDecision.RecordAndSample, [new(Attribute, _percent)], _traceState);
        }

        var percent = RateIn(parent.TraceState) ?? 100d;
        return new SamplingResult(SamplingDecision.RecordAndSample, [new(Attribute, percent)]);
    }

    /// <summary>The <c>microsoft.sample_rate</c> entry of a W3C <c>tracestate</c>, when it is a percentage in (0, 100].</summary>
    internal static double? RateIn(string? traceState)
    {
        if (string.IsNullOrEmpty(traceState))
        {
            return null;
        }

        foreach (var range in traceState.AsSpan().Split(','))
        {
            var entry = traceState.AsSpan()[range].Trim();
            if (entry.StartsWith(TraceStateKey, StringComparison.Ordinal)
                && double.TryParse(entry[TraceStateKey.Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent)
                && percent is > 0 and <= 100)
            {
                return percent;
            }
        }

        return null;
    }
}
