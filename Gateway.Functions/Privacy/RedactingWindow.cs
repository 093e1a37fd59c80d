using System.Text;
using System.Text.RegularExpressions;
using Gateway.Domain.Privacy;
using Gateway.Domain.Privacy.Detection;

namespace Gateway.Functions.Privacy;

/// <summary>
/// Redacts an answer as it streams: the last <c>window</c> characters are held back, so a value
/// split across events is seen whole before any of it is sent, and never more than that is
/// delayed. A value still being matched at the cut keeps the cut before it. In answers every
/// finding with an action other than allow or warn is replaced (a block cannot be undone once
/// the answer has started; a tokenized value is not turned back into one the model made up).
/// </summary>
internal sealed class RedactingWindow(CompiledPolicy policy, PlaceholderBook book, PrivacyRecord record, int window) : ITextWindow
{
    private string _pending = string.Empty;

    public string Push(string text)
    {
        _pending += text;
        return _pending.Length <= window ? string.Empty : Emit(_pending.Length - window);
    }

    public string Flush() => _pending.Length == 0 ? string.Empty : Emit(_pending.Length);

    private string Emit(int cut)
    {
        List<PiiFinding> findings;
        try
        {
            findings = LocalPiiDetector.Detect(_pending, policy);
        }
        catch (RegexMatchTimeoutException)
        {
            // An admin regex ran too long: the policy decides whether the text goes out unscanned.
            var unscanned = policy.Policy.FailOpen ? _pending[..cut] : "[REDACTED]";
            _pending = _pending[cut..];
            return unscanned;
        }

        foreach (var finding in findings)
        {
            if (finding.Match.Start < cut && finding.Match.End > cut)
            {
                cut = finding.Match.Start;
            }
        }

        var output = new StringBuilder(cut);
        var copied = 0;
        foreach (var (match, action) in findings)
        {
            if (match.End > cut)
            {
                break;
            }

            var applied = action is PiiAction.Allow or PiiAction.Warn ? action : PiiAction.Redact;
            if (action != PiiAction.Allow)
            {
                record.Add(new PiiFinding(match, applied));
            }

            if (applied == PiiAction.Redact)
            {
                output.Append(_pending, copied, match.Start - copied)
                    .Append(book.PlaceholderFor(match.Entity, _pending.Substring(match.Start, match.Length), reversible: false));
                copied = match.End;
            }
        }

        output.Append(_pending, copied, cut - copied);
        _pending = _pending[cut..];
        return output.ToString();
    }
}
