using Gateway.Domain.Limits;

namespace Gateway.Domain.Tests.Limits;

/// <summary>Go's <c>time.ParseDuration</c> (cases from Go's own <c>time_test.go</c> table), plus <c>d</c> for days.</summary>
public sealed class GoDurationTests
{
    public static TheoryData<string, long> Valid => new()
    {
        { "0", 0 },
        { "5s", TimeSpan.TicksPerSecond * 5 },
        { "30s", TimeSpan.TicksPerSecond * 30 },
        { "1478s", TimeSpan.TicksPerSecond * 1478 },
        { "-5s", -TimeSpan.TicksPerSecond * 5 },
        { "+5s", TimeSpan.TicksPerSecond * 5 },
        { "-0", 0 },
        { "+0", 0 },
        { "5.0s", TimeSpan.TicksPerSecond * 5 },
        { "5.6s", (TimeSpan.TicksPerSecond * 5) + (TimeSpan.TicksPerMillisecond * 600) },
        { "5.s", TimeSpan.TicksPerSecond * 5 },
        { ".5s", TimeSpan.TicksPerMillisecond * 500 },
        { "1.0s", TimeSpan.TicksPerSecond },
        { "1.00s", TimeSpan.TicksPerSecond },
        { "1.004s", TimeSpan.TicksPerSecond + (TimeSpan.TicksPerMillisecond * 4) },
        { "100.00100s", (TimeSpan.TicksPerSecond * 100) + TimeSpan.TicksPerMillisecond },
        { "10ns", 0 },
        { "1100ns", 11 },
        { "11us", 110 },
        { "12\u00b5s", 120 },
        { "12\u03bcs", 120 },
        { "13ms", TimeSpan.TicksPerMillisecond * 13 },
        { "500ms", TimeSpan.TicksPerMillisecond * 500 },
        { "14s", TimeSpan.TicksPerSecond * 14 },
        { "10m", TimeSpan.TicksPerMinute * 10 },
        { "15m", TimeSpan.TicksPerMinute * 15 },
        { "2h", TimeSpan.TicksPerHour * 2 },
        { "16h", TimeSpan.TicksPerHour * 16 },
        { "3h30m", (TimeSpan.TicksPerHour * 3) + (TimeSpan.TicksPerMinute * 30) },
        { "1h30m", TimeSpan.TicksPerMinute * 90 },
        { "10.5s4m", (TimeSpan.TicksPerMinute * 4) + (TimeSpan.TicksPerMillisecond * 10500) },
        { "-2m3.4s", -((TimeSpan.TicksPerMinute * 2) + (TimeSpan.TicksPerMillisecond * 3400)) },
        { "1h2m3s4ms5us6ns", TimeSpan.TicksPerHour + (TimeSpan.TicksPerMinute * 2) + (TimeSpan.TicksPerSecond * 3) + (TimeSpan.TicksPerMillisecond * 4) + 50 },
        { "39h9m14.425s", (TimeSpan.TicksPerHour * 39) + (TimeSpan.TicksPerMinute * 9) + (TimeSpan.TicksPerMillisecond * 14425) },
        { "52763797000ns", 527637970 },
        { "0.3333333333333333333h", TimeSpan.TicksPerMinute * 20 },
        { "9007199254740993ns", 90071992547409 },
        { "9223372036854775807ns", 92233720368547758 },
        { "9223372036854775.807us", 92233720368547758 },
        { "-9223372036854775808ns", -92233720368547758 },
        { "2d", TimeSpan.TicksPerDay * 2 },
        { "1d12h", TimeSpan.TicksPerHour * 36 },
        { "0.5d", TimeSpan.TicksPerHour * 12 },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void TryParse_GoSyntax_ParsesToTicks(string text, long ticks)
    {
        Assert.True(GoDuration.TryParse(text, out var duration), text);
        Assert.Equal(ticks, duration.Ticks);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("-")]
    [InlineData("s")]
    [InlineData(".")]
    [InlineData("-.")]
    [InlineData(".s")]
    [InlineData("+.s")]
    [InlineData("1d2")]
    [InlineData("3000000h")]
    [InlineData("9223372036854775808ns")]
    [InlineData("9223372036854775.808us")]
    [InlineData("9223372036854ms775us808ns")]
    [InlineData("-9223372036854775809ns")]
    [InlineData("2x")]
    [InlineData("1hr")]
    [InlineData("1 h")]
    [InlineData(" 1h")]
    [InlineData("1h ")]
    [InlineData("1w")]
    [InlineData("1mo")]
    [InlineData("P1D")]
    [InlineData("00:10:00")]
    public void TryParse_NotAGoDuration_Fails(string? text)
        => Assert.False(GoDuration.TryParse(text, out _), text);
}
