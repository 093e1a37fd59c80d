using System.Collections.Frozen;
using System.Net;
using System.Text.RegularExpressions;

namespace Gateway.Domain.Privacy.Detection;

/// <summary>
/// The local detector's recognisers in priority order: where two candidates overlap, the earlier
/// one wins (a URL over the e-mail in its query, a card over the phone-like groups inside it,
/// checksummed numbers over the plain-pattern ones).
/// </summary>
internal static class LocalRecognizers
{
    public static IReadOnlyList<PatternRecognizer> InPriorityOrder { get; } =
    [
        new(PiiEntity.Password, LocalPatterns.Password()),
        new(PiiEntity.AwsAccessKey, LocalPatterns.AwsAccessKey()),
        new(PiiEntity.AwsSecretKey, LocalPatterns.AwsSecretKey(), static (text, m) => MixedCase(m.ValueSpan) && NearWord(text, m.Index, 80, "aws", "secret")),
        new(PiiEntity.Url, LocalPatterns.Url()),
        new(PiiEntity.Email, LocalPatterns.Email()),
        new(PiiEntity.Iban, LocalPatterns.Iban(), static (_, m) => Checksums.IbanMod97(m.ValueSpan)),
        new(PiiEntity.CreditDebitNumber, LocalPatterns.Card(), take: CardLength),
        new(PiiEntity.InAadhaar, LocalPatterns.Aadhaar(), static (_, m) => Checksums.Verhoeff(m.ValueSpan)),
        new(PiiEntity.UkNhsNumber, LocalPatterns.Nhs(), static (_, m) => Checksums.NhsMod11(m.ValueSpan)),
        new(PiiEntity.CaSocialInsuranceNumber, LocalPatterns.CanadianSin(), static (_, m) => Checksums.Luhn(m.ValueSpan)),
        new(PiiEntity.Ssn, LocalPatterns.Ssn()),
        new(PiiEntity.UsItin, LocalPatterns.Itin()),
        new(PiiEntity.UkNino, LocalPatterns.UkNino()),
        new(PiiEntity.InPermanentAccountNumber, LocalPatterns.IndianPan()),
        new(PiiEntity.SwiftCode, LocalPatterns.Swift(), IsSwift),
        new(PiiEntity.MacAddress, LocalPatterns.Mac()),
        new(PiiEntity.IpAddress, LocalPatterns.IpV4()),
        new(PiiEntity.IpAddress, LocalPatterns.IpV6(), static (_, m) => m.ValueSpan.Count(':') >= 2 && IPAddress.TryParse(m.ValueSpan, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6),
        new(PiiEntity.Phone, LocalPatterns.Phone(), static (_, m) => DigitCount(m.ValueSpan) is >= 8 and <= 15),
    ];

    /// <summary>Every entity type the local detector finds (card details through <see cref="CardDetailsRecognizer"/>).</summary>
    public static FrozenSet<string> Entities { get; } = FrozenSet.ToFrozenSet(
        [.. InPriorityOrder.Select(static r => r.Entity), PiiEntity.CreditDebitCvv, PiiEntity.CreditDebitExpiry],
        StringComparer.Ordinal);

    // An all-caps word such as DOCUMENTS has a SWIFT code's shape: take it only with a digit in it,
    // or after the word SWIFT or BIC.
    private static bool IsSwift(string text, Match match)
        => IsoCountries.Contains(match.Groups["cc"].Value)
           && (match.ValueSpan.IndexOfAnyInRange('0', '9') >= 0 || NearWord(text, match.Index, 30, "swift", "bic"));

    // Most cards have 16 digits, then 15 (Amex), 13-14, 17-19: a card followed by a CVV or a date
    // is taken at its usual length when that prefix ends a digit group and passes Luhn.
    private static readonly int[] CardLengths = [16, 15, 14, 13, 19, 18, 17];

    private static int CardLength(ReadOnlySpan<char> candidate)
    {
        foreach (var digits in CardLengths)
        {
            var end = EndOfDigit(candidate, digits);
            if (end > 0 && (end == candidate.Length || !char.IsAsciiDigit(candidate[end])) && Checksums.Luhn(candidate[..end]))
            {
                return end;
            }
        }

        return 0;
    }

    // The index just past the n-th digit, or 0 when there are fewer.
    private static int EndOfDigit(ReadOnlySpan<char> value, int n)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (char.IsAsciiDigit(value[i]) && --n == 0)
            {
                return i + 1;
            }
        }

        return 0;
    }

    private static int DigitCount(ReadOnlySpan<char> value)
    {
        var count = 0;
        foreach (var c in value)
        {
            count += char.IsAsciiDigit(c) ? 1 : 0;
        }

        return count;
    }

    // A secret key is random base64: upper, lower and digits all occur (a SHA-1 in hex, a word, a path do not).
    private static bool MixedCase(ReadOnlySpan<char> value)
        => value.IndexOfAnyInRange('A', 'Z') >= 0 && value.IndexOfAnyInRange('a', 'z') >= 0 && value.IndexOfAnyInRange('0', '9') >= 0;

    private static bool NearWord(string text, int index, int window, string first, string second)
    {
        var start = Math.Max(0, index - window);
        var before = text.AsSpan(start, index - start);
        return before.Contains(first, StringComparison.OrdinalIgnoreCase) || before.Contains(second, StringComparison.OrdinalIgnoreCase);
    }

    // ISO 3166-1 alpha-2, plus XK (Kosovo), which SWIFT uses.
    private static readonly FrozenSet<string> IsoCountries = FrozenSet.ToFrozenSet(
        ("AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
        + "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR "
        + "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP "
        + "KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT "
        + "MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW "
        + "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG "
        + "UM US UY UZ VA VC VE VG VI VN VU WF WS XK YE YT ZA ZM ZW").Split(' '),
        StringComparer.Ordinal);
}
