using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Costing;

namespace Gateway.Domain.Tests.Costing;

/// <summary>Image and audio prices from what the proxy reports, without a logged request body.</summary>
public sealed class ProxyReportedInputsCostTests
{
    private static readonly UsageCostCalculator Calculator = new(PriceTable.Default);

    [Fact]
    public void Images_ProxyReportedCountSizeQuality_PricedExactlyAndNotEstimated()
    {
        var cost = Calculator.Calculate(Message("/api/providers/openai/v1/images/generations", "dall-e-3", m => { m.ImageCount = 2; m.ImageSize = "1024x1792"; m.ImageQuality = "hd"; }), null);

        // dall-e-3 hd 1024x1792 = $0.120 per image.
        Assert.Equal(2 * 0.120m, cost.Total);
        Assert.False(cost.Estimated);
    }

    [Fact]
    public void Transcription_ProxyReportedSeconds_WholeSecondsOverSixtyTimesPerMinutePrice()
    {
        var cost = Calculator.Calculate(Message("/api/providers/openai/v1/audio/transcriptions", "whisper-1", m => m.AudioSeconds = 90.7), null);

        // whisper-1 = $0.006 per minute; BricksLLM: trunc(90.7) / 60 minutes.
        Assert.Equal(decimal.Round(90m / 60m * 0.006m, 10), cost.Total);
        Assert.False(cost.Estimated);
    }

    [Fact]
    public void JsonUsageTap_VerboseTranscription_ReadsTopLevelDuration()
    {
        var tap = new JsonUsageTap();
        tap.Append("""{"task":"transcribe","language":"english","duration":"""u8, isFinal: false);
        tap.Append("""12.5,"text":"hello","segments":[{"id":0,"duration":3.0}]}"""u8, isFinal: true);
        Assert.Equal(12.5, tap.Duration);
    }

    private static UsageEventMessage Message(string path, string model, Action<UsageEventMessage> configure)
    {
        var message = new UsageEventMessage { EventId = Guid.NewGuid().ToString(), Provider = "openai", Model = model, Path = path, Method = "POST", Status = 200 };
        configure(message);
        return message;
    }
}
