using System.Diagnostics;
using Gateway.Domain.Telemetry;
using OpenTelemetry.Trace;

namespace Gateway.Domain.Tests.Telemetry;

/// <summary>The trace sampler tags what it keeps with the rate it kept it at, for Application Insights' counts.</summary>
public sealed class SampleRateSamplerTests
{
    private static SamplingParameters Root(ActivityTraceId traceId)
        => new(default, traceId, "request", ActivityKind.Server);

    private static SamplingParameters Child(ActivityTraceId traceId, bool sampled, bool remote, string? traceState)
        => new(new ActivityContext(traceId, ActivitySpanId.CreateRandom(), sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None, traceState, remote), traceId, "child", ActivityKind.Internal);

    [Fact]
    public void Roots_KeptAtTheRatio_CarryItAsAPercentage_AndPassItOnInTraceState()
    {
        var sampler = new SampleRateSampler(0.1);
        var results = Enumerable.Range(0, 4000).Select(_ => sampler.ShouldSample(Root(ActivityTraceId.CreateRandom()))).ToList();

        var kept = results.Where(r => r.Decision == SamplingDecision.RecordAndSample).ToList();
        Assert.InRange(kept.Count, 300, 500);
        Assert.All(kept, r =>
        {
            var attribute = Assert.Single(r.Attributes);
            Assert.Equal((SampleRateSampler.Attribute, (object)10d), (attribute.Key, attribute.Value));
            Assert.Equal("microsoft.sample_rate=10", r.TraceStateString);
        });
        Assert.All(results.Where(r => r.Decision != SamplingDecision.RecordAndSample), r => Assert.Empty(r.Attributes));
    }

    [Fact]
    public void SpansUnderAKeptRoot_CarryTheRootsRate()
    {
        var result = new SampleRateSampler(0.25).ShouldSample(Child(ActivityTraceId.CreateRandom(), sampled: true, remote: false, "microsoft.sample_rate=25"));

        Assert.Equal(SamplingDecision.RecordAndSample, result.Decision);
        Assert.Equal(25d, Assert.Single(result.Attributes).Value);
    }

    [Theory]
    [InlineData(null, 100d)]
    [InlineData("vendor=x", 100d)]
    [InlineData("vendor=x, microsoft.sample_rate=50", 50d)]
    [InlineData("microsoft.sample_rate=0", 100d)]
    [InlineData("microsoft.sample_rate=abc", 100d)]
    public void ACallersSampledTrace_IsKept_AtTheCallersRateOrOnce(string? traceState, double expected)
    {
        var result = new SampleRateSampler(0.01).ShouldSample(Child(ActivityTraceId.CreateRandom(), sampled: true, remote: true, traceState));

        Assert.Equal(SamplingDecision.RecordAndSample, result.Decision);
        Assert.Equal(expected, Assert.Single(result.Attributes).Value);
        Assert.Null(result.TraceStateString);
    }

    [Fact]
    public void ACallersUnsampledTrace_IsDropped_WithoutAttributes()
    {
        var result = new SampleRateSampler(1).ShouldSample(Child(ActivityTraceId.CreateRandom(), sampled: false, remote: true, null));

        Assert.Equal(SamplingDecision.Drop, result.Decision);
        Assert.Empty(result.Attributes);
    }
}
