using Gateway.Domain.Privacy;
using Gateway.Domain.Privacy.Detection;

namespace Gateway.Domain.Tests.Privacy;

/// <summary>Positive and negative examples per local entity: valid and invalid checksums, look-alikes.</summary>
public sealed class LocalPiiDetectorTests
{
    private static readonly CompiledPolicy Everything = PolicyCompiler.Compile(new Policy
    {
        Id = "p",
        Config = new PolicyConfig { Rules = new() { [PiiEntity.All] = PiiActions.Redact } },
    });

    [Theory]
    [InlineData(PiiEntity.Email, "write to jane.doe+news@example.co.uk today", "jane.doe+news@example.co.uk")]
    [InlineData(PiiEntity.Phone, "call +44 20 7946 0958 now", "+44 20 7946 0958")]
    [InlineData(PiiEntity.Phone, "call +14155552671 now", "+14155552671")]
    [InlineData(PiiEntity.Phone, "call (555) 123-4567 now", "(555) 123-4567")]
    [InlineData(PiiEntity.Phone, "mobile 07700 900123 please", "07700 900123")]
    [InlineData(PiiEntity.CreditDebitNumber, "card 4111 1111 1111 1111 thanks", "4111 1111 1111 1111")]
    [InlineData(PiiEntity.CreditDebitNumber, "card 5500-0055-5555-5559 thanks", "5500-0055-5555-5559")]
    [InlineData(PiiEntity.CreditDebitNumber, "amex 378282246310005.", "378282246310005")]
    [InlineData(PiiEntity.Iban, "IBAN GB82 WEST 1234 5698 7654 32 ok", "GB82 WEST 1234 5698 7654 32")]
    [InlineData(PiiEntity.Iban, "pay DE89370400440532013000 now", "DE89370400440532013000")]
    [InlineData(PiiEntity.SwiftCode, "SWIFT: DEUTDEFF please", "DEUTDEFF")]
    [InlineData(PiiEntity.SwiftCode, "branch DEUTDEFF500 today", "DEUTDEFF500")]
    [InlineData(PiiEntity.Ssn, "ssn 123-45-6789 on file", "123-45-6789")]
    [InlineData(PiiEntity.UsItin, "itin 912-70-1234 on file", "912-70-1234")]
    [InlineData(PiiEntity.UkNino, "NI AB 12 34 56 C here", "AB 12 34 56 C")]
    [InlineData(PiiEntity.UkNhsNumber, "NHS 943 476 5919 here", "943 476 5919")]
    [InlineData(PiiEntity.CaSocialInsuranceNumber, "SIN 130 692 544 here", "130 692 544")]
    [InlineData(PiiEntity.InPermanentAccountNumber, "PAN ABCPE1234F here", "ABCPE1234F")]
    [InlineData(PiiEntity.InAadhaar, "aadhaar 2341 2341 2346 here", "2341 2341 2346")]
    [InlineData(PiiEntity.IpAddress, "host 192.168.1.20 down", "192.168.1.20")]
    [InlineData(PiiEntity.IpAddress, "host 2001:db8::8a2e:370:7334 down", "2001:db8::8a2e:370:7334")]
    [InlineData(PiiEntity.MacAddress, "nic 00:1A:2B:3C:4D:5E up", "00:1A:2B:3C:4D:5E")]
    [InlineData(PiiEntity.Url, "see https://example.com/a?b=c.", "https://example.com/a?b=c")]
    [InlineData(PiiEntity.Url, "see www.example.org/x, then", "www.example.org/x")]
    [InlineData(PiiEntity.AwsAccessKey, "key AKIAIOSFODNN7EXAMPLE set", "AKIAIOSFODNN7EXAMPLE")]
    [InlineData(PiiEntity.AwsSecretKey, "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData(PiiEntity.Password, "login with password=hunter2&user=x", "hunter2")]
    [InlineData(PiiEntity.Password, "Password: \"s3cr3t pass\" ok", "\"s3cr3t pass\"")]
    public void Detect_Positive_FindsTheValue(string entity, string text, string value)
    {
        var findings = LocalPiiDetector.Detect(text, Everything);

        var finding = Assert.Single(findings);
        Assert.Equal(entity, finding.Match.Entity);
        Assert.Equal(value, text.Substring(finding.Match.Start, finding.Match.Length));
        Assert.Equal(PiiAction.Redact, finding.Action);
    }

    [Theory]
    [InlineData("write to jane@localhost or @handle")]
    [InlineData("order 12345 shipped on 2024-01-15 at 12:30:45")]
    [InlineData("card 4111 1111 1111 1112 fails Luhn")]
    [InlineData("card 1234 5678 9012 3456 fails Luhn")]
    [InlineData("IBAN GB82 WEST 1234 5698 7654 33 bad check digits")]
    [InlineData("a DOCUMENT with CAPITALS")]
    [InlineData("ssn 000-12-3456 and 666-12-3456 and 123-00-4567 are never issued")]
    [InlineData("itin 912-40-1234 has a group outside the ITIN ranges")]
    [InlineData("QQ 12 34 56 C is not a NINO")]
    [InlineData("NHS 9434765918 fails mod 11")]
    [InlineData("SIN 130 692 545 fails Luhn")]
    [InlineData("ABCDE1234F has no valid PAN status letter")]
    [InlineData("aadhaar 2341 2341 2345 fails Verhoeff")]
    [InlineData("versions 1.2.3 and 999.1.1.1 and 1.2.3.4.5")]
    [InlineData("nic 00:1A:2B:3C:4D is short")]
    [InlineData("example.com without a scheme")]
    [InlineData("key AKIA123 is short")]
    [InlineData("secret sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709")]
    [InlineData("the password policy says nothing")]
    [InlineData("the total is 1234567 units")]
    public void Detect_Negative_FindsNothing(string text)
    {
        Assert.Empty(LocalPiiDetector.Detect(text, Everything));
    }

    [Fact]
    public void Detect_CvvAndExpiryNextToCard_Found()
    {
        const string text = "card 4111 1111 1111 1111 exp 12/27 cvv 123 please";

        var findings = LocalPiiDetector.Detect(text, Everything);

        Assert.Equal(
            [(PiiEntity.CreditDebitNumber, "4111 1111 1111 1111"), (PiiEntity.CreditDebitExpiry, "12/27"), (PiiEntity.CreditDebitCvv, "123")],
            findings.Select(f => (f.Match.Entity, text.Substring(f.Match.Start, f.Match.Length))));
    }

    [Fact]
    public void Detect_BareCvvRightAfterCardAndExpiry_Found()
    {
        const string text = "4111111111111111 09/2028 4321";

        var findings = LocalPiiDetector.Detect(text, Everything);

        Assert.Equal([PiiEntity.CreditDebitNumber, PiiEntity.CreditDebitExpiry, PiiEntity.CreditDebitCvv], findings.Select(f => f.Match.Entity));
    }

    [Fact]
    public void Detect_CvvAndExpiryWithoutCard_NotFound()
    {
        Assert.Empty(LocalPiiDetector.Detect("meet on 12/27, door code 123, cvv 456", Everything));
    }

    [Fact]
    public void Detect_EmailInsideUrl_IsOneUrl()
    {
        const string text = "open https://example.com/?u=jane@example.com now";

        var finding = Assert.Single(LocalPiiDetector.Detect(text, Everything));

        Assert.Equal(PiiEntity.Url, finding.Match.Entity);
    }

    [Fact]
    public void Detect_OnlyRuledEntities_OtherTypesIgnored()
    {
        var emailOnly = PolicyCompiler.Compile(new Policy { Id = "e", Config = new PolicyConfig { Rules = new() { [PiiEntity.Email] = PiiActions.Block } } });

        var findings = LocalPiiDetector.Detect("jane@example.com 4111 1111 1111 1111 192.168.0.1", emailOnly);

        var finding = Assert.Single(findings);
        Assert.Equal((PiiEntity.Email, PiiAction.Block), (finding.Match.Entity, finding.Action));
    }

    [Fact]
    public void Detect_AdminRegexRule_FoundAsRegexWithItsAction()
    {
        var policy = PolicyCompiler.Compile(new Policy
        {
            Id = "r",
            RegexConfig = new PolicyRuleSet { Rules = [new PolicyRule { Definition = @"PROJ-\d{4}", Action = PiiActions.Warn }] },
        });

        var finding = Assert.Single(LocalPiiDetector.Detect("ticket PROJ-1234 is late", policy));

        Assert.Equal((PiiEntity.Regex, PiiAction.Warn, 7, 9), (finding.Match.Entity, finding.Action, finding.Match.Start, finding.Match.Length));
    }

    [Fact]
    public void Detect_ManyValues_SortedAndNonOverlapping()
    {
        var text = string.Concat(Enumerable.Repeat("mail a@b.io, card 4111 1111 1111 1111, ip 10.0.0.1; ", 50));

        var findings = LocalPiiDetector.Detect(text, Everything);

        Assert.Equal(150, findings.Count);
        for (var i = 1; i < findings.Count; i++)
        {
            Assert.True(findings[i - 1].Match.End <= findings[i].Match.Start);
        }
    }
}
