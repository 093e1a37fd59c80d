using Gateway.Domain.Privacy;

namespace Gateway.Domain.Tests.Privacy;

public sealed class PlaceholderBookTests
{
    [Fact]
    public void Apply_RedactAndTokenize_TypedNumberedPlaceholders_SameValueSamePlaceholder()
    {
        const string text = "a@x.io, b@x.io, a@x.io and 10.0.0.1";
        var book = new PlaceholderBook();
        PiiFinding[] findings =
        [
            new(new PiiMatch(0, 6, PiiEntity.Email), PiiAction.Redact),
            new(new PiiMatch(8, 6, PiiEntity.Email), PiiAction.Tokenize),
            new(new PiiMatch(16, 6, PiiEntity.Email), PiiAction.Redact),
            new(new PiiMatch(27, 8, PiiEntity.IpAddress), PiiAction.Warn),
        ];

        var redacted = book.Apply(text, findings);

        Assert.Equal("[EMAIL_1], [EMAIL_2], [EMAIL_1] and 10.0.0.1", redacted);
        Assert.Equal(new Dictionary<string, string> { ["[EMAIL_2]"] = "b@x.io" }, book.Tokens);
    }

    [Fact]
    public void ScanResult_Precedence_BlockOverWarnOverRedact_AndCountsPerType()
    {
        List<PiiFinding> first = [new(new PiiMatch(0, 1, PiiEntity.Email), PiiAction.Redact), new(new PiiMatch(2, 1, PiiEntity.Phone), PiiAction.Warn)];
        List<PiiFinding> second = [new(new PiiMatch(0, 1, PiiEntity.Email), PiiAction.Tokenize)];

        var warned = new PiiScanResult([first, second], detectorFailed: false);
        var blocked = new PiiScanResult([first, [new(new PiiMatch(0, 1, PiiEntity.Ssn), PiiAction.Block)]], detectorFailed: false);

        Assert.Equal(PiiAction.Warn, warned.Action);
        Assert.Equal(new Dictionary<string, int> { [PiiEntity.Email] = 2, [PiiEntity.Phone] = 1 }, warned.Counts);
        Assert.True(warned.Changes);
        Assert.Equal(PiiAction.Block, blocked.Action);
        Assert.Equal("blocked", PiiActions.EventName(blocked.Action));
        Assert.Equal("redacted", PiiActions.EventName(PiiAction.Tokenize));
    }
}
