using Gateway.Domain.Routing;

namespace Gateway.Domain.Tests.Routing;

public sealed class RetryAfterHeaderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 29, 20, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Parse_Seconds_IsThatLong() => Assert.Equal(TimeSpan.FromSeconds(3), RetryAfterHeader.Parse(null, "3", Now));

    [Fact]
    public void Parse_AzureMilliseconds_WinOverSeconds() => Assert.Equal(TimeSpan.FromMilliseconds(1500), RetryAfterHeader.Parse("1500", "2", Now));

    [Fact]
    public void Parse_HttpDate_IsTheTimeUntilThen()
        => Assert.Equal(TimeSpan.FromSeconds(90), RetryAfterHeader.Parse(null, Now.AddSeconds(90).ToString("r"), Now));

    [Fact]
    public void Parse_DateInThePast_IsZero()
        => Assert.Equal(TimeSpan.Zero, RetryAfterHeader.Parse(null, Now.AddMinutes(-5).ToString("r"), Now));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1")]
    [InlineData("1.5")]
    public void Parse_MissingOrInvalid_IsNull(string? value) => Assert.Null(RetryAfterHeader.Parse(null, value, Now));
}
