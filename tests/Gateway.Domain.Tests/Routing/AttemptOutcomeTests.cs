using Gateway.Domain.Routing;

namespace Gateway.Domain.Tests.Routing;

public sealed class AttemptOutcomeTests
{
    [Theory]
    [InlineData(200, AttemptVerdict.Success)]
    [InlineData(201, AttemptVerdict.Success)]
    [InlineData(400, AttemptVerdict.ClientError)]
    [InlineData(401, AttemptVerdict.ClientError)]
    [InlineData(404, AttemptVerdict.ClientError)]
    [InlineData(422, AttemptVerdict.ClientError)]
    [InlineData(408, AttemptVerdict.Retryable)]
    [InlineData(409, AttemptVerdict.Retryable)]
    [InlineData(429, AttemptVerdict.Retryable)]
    [InlineData(500, AttemptVerdict.Retryable)]
    [InlineData(502, AttemptVerdict.Retryable)]
    [InlineData(503, AttemptVerdict.Retryable)]
    [InlineData(504, AttemptVerdict.Retryable)]
    public void FromStatus_ClassifiesAsTheIssueSays(int status, AttemptVerdict expected)
        => Assert.Equal(expected, AttemptOutcome.FromStatus(status).Verdict);

    [Fact]
    public void NoResponse_IsRetryableWithStatusZero()
    {
        Assert.Equal(AttemptVerdict.Retryable, AttemptOutcome.NoResponse.Verdict);
        Assert.Equal(0, AttemptOutcome.NoResponse.Status);
    }

    [Theory]
    [InlineData(429, true)]
    [InlineData(503, true)]
    [InlineData(500, false)]
    [InlineData(502, false)]
    public void FromStatus_KeepsRetryAfterOnlyFor429And503(int status, bool kept)
    {
        var outcome = AttemptOutcome.FromStatus(status, TimeSpan.FromSeconds(2));

        Assert.Equal(kept ? TimeSpan.FromSeconds(2) : null, outcome.RetryAfter);
    }
}
