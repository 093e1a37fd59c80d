using System.Text.RegularExpressions;

namespace Gateway.Domain.Privacy.Detection;

/// <summary>
/// The local detector's patterns, source-generated. A pattern finds candidates; the checksum or
/// context rule in <see cref="LocalRecognizers"/> decides. Digit groups are fenced by
/// lookarounds (<c>(?&lt;!\d[ -]?)</c>) so that a pattern never takes a piece of a longer number.
/// </summary>
internal static partial class LocalPatterns
{
    [GeneratedRegex(@"(?i)\b(?:password|passwd|pwd|passphrase|passcode)\s*[=:]\s*(?<v>""[^""\r\n]{1,200}""|'[^'\r\n]{1,200}'|[^\s""',;&]{1,200})", RegexOptions.CultureInvariant)]
    public static partial Regex Password();

    [GeneratedRegex(@"\b(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b", RegexOptions.CultureInvariant)]
    public static partial Regex AwsAccessKey();

    [GeneratedRegex(@"(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])", RegexOptions.CultureInvariant)]
    public static partial Regex AwsSecretKey();

    [GeneratedRegex(@"(?i)\b(?:https?|ftp)://[^\s<>""'`]*[^\s<>""'`.,;:!?)\]]|\bwww\.[a-z0-9-]+(?:\.[a-z0-9-]+)+(?:[/?#][^\s<>""'`]*[^\s<>""'`.,;:!?)\]])?", RegexOptions.CultureInvariant)]
    public static partial Regex Url();

    [GeneratedRegex(@"(?i)(?<![\w.%+-])[a-z0-9](?:[a-z0-9._%+-]{0,63})@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,24}\b", RegexOptions.CultureInvariant)]
    public static partial Regex Email();

    [GeneratedRegex(@"\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\b", RegexOptions.CultureInvariant)]
    public static partial Regex Iban();

    [GeneratedRegex(@"(?<!\d)(?<!\d[ -])[2-6]\d{3}(?:[ -]?\d){9,18}(?!\d)", RegexOptions.CultureInvariant)]
    public static partial Regex Card();

    [GeneratedRegex(@"(?<!\d)(?<!\d[ -])[2-9]\d{3}([ -]?)\d{4}\1\d{4}(?![ -]?\d)", RegexOptions.CultureInvariant)]
    public static partial Regex Aadhaar();

    [GeneratedRegex(@"(?<!\d)(?<!\d[ -])\d{3}([ -]?)\d{3}\1\d{4}(?![ -]?\d)", RegexOptions.CultureInvariant)]
    public static partial Regex Nhs();

    [GeneratedRegex(@"(?<!\d)(?<!\d[ -])[1-79]\d{2}([ -]?)\d{3}\1\d{3}(?![ -]?\d)", RegexOptions.CultureInvariant)]
    public static partial Regex CanadianSin();

    // Never issued: area 000, 666, 9xx (ITIN range); group 00; serial 0000.
    [GeneratedRegex(@"(?<!\d)(?<!\d[ -])(?!000|666|9)\d{3}([- ])(?!00)\d{2}\1(?!0000)\d{4}(?![ -]?\d)", RegexOptions.CultureInvariant)]
    public static partial Regex Ssn();

    // IRS: 9XX-[50-65|70-88|90-92|94-99]-XXXX.
    [GeneratedRegex(@"(?<!\d)(?<!\d[ -])9\d{2}([- ]?)(?:5\d|6[0-5]|7\d|8[0-8]|9[0-24-9])\1\d{4}(?![ -]?\d)", RegexOptions.CultureInvariant)]
    public static partial Regex Itin();

    // HMRC: first letter not D F I Q U V, second not D F I O Q U V, prefixes BG GB KN NK NT TN ZZ unused, suffix A-D.
    [GeneratedRegex(@"\b(?!BG|GB|KN|NK|NT|TN|ZZ)[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b", RegexOptions.CultureInvariant)]
    public static partial Regex UkNino();

    // Fourth letter: the holder's status (P person, C company, H HUF, F firm, A AOP, T trust, B BOI, L local authority, J juridical, G government).
    [GeneratedRegex(@"\b[A-Z]{3}[ABCFGHJLPT][A-Z]\d{4}[A-Z]\b", RegexOptions.CultureInvariant)]
    public static partial Regex IndianPan();

    [GeneratedRegex(@"\b[A-Z]{4}(?<cc>[A-Z]{2})[A-Z2-9][A-NP-Z0-9](?:[A-Z0-9]{3})?\b", RegexOptions.CultureInvariant)]
    public static partial Regex Swift();

    [GeneratedRegex(@"(?i)(?<![0-9a-f:-])[0-9a-f]{2}([:-])[0-9a-f]{2}(?:\1[0-9a-f]{2}){4}(?![0-9a-f:-])", RegexOptions.CultureInvariant)]
    public static partial Regex Mac();

    [GeneratedRegex(@"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)", RegexOptions.CultureInvariant)]
    public static partial Regex IpV4();

    [GeneratedRegex(@"(?i)(?<![0-9a-z:.])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![0-9a-z:])", RegexOptions.CultureInvariant)]
    public static partial Regex IpV6();

    // International (+ and a country code) or a national form: (555) 123-4567, 555-123-4567, 020 7946 0958, 07700 900123.
    [GeneratedRegex(@"(?<![\w+])\+[1-9]\d{0,2}(?:[ .-]?\(\d{1,4}\))?(?:[ .-]?\d){6,13}(?![ -]?\d)|(?<![\w(])(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}(?![ -]?\d)|(?<![\w])0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?![ -]?\d)", RegexOptions.CultureInvariant)]
    public static partial Regex Phone();

    [GeneratedRegex(@"(?<![\d/])(?:0[1-9]|1[0-2]) ?/ ?(?:20)?\d{2}(?![\d/])", RegexOptions.CultureInvariant)]
    public static partial Regex Expiry();

    [GeneratedRegex(@"(?i)\b(?:cvv2?|cvc2?|csc|cid|security code)\b\D{0,12}?(?<v>\d{3,4})(?!\d)", RegexOptions.CultureInvariant)]
    public static partial Regex LabelledCvv();

    [GeneratedRegex(@"^[\s,;:/|-]{1,6}(?<v>\d{3,4})(?![\d/])", RegexOptions.CultureInvariant)]
    public static partial Regex TrailingCvv();
}
