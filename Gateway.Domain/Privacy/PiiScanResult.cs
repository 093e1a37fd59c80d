namespace Gateway.Domain.Privacy;

/// <summary>
/// What a policy found in a request's (or an answer's) texts: the findings per text, the
/// strongest action, and the count per entity type (what events record: never the values).
/// </summary>
public sealed class PiiScanResult
{
    public PiiScanResult(IReadOnlyList<List<PiiFinding>> findings, bool detectorFailed)
    {
        ArgumentNullException.ThrowIfNull(findings);
        Findings = findings;
        DetectorFailed = detectorFailed;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var action = PiiAction.Allow;
        foreach (var text in findings)
        {
            foreach (var (match, found) in text)
            {
                counts[match.Entity] = counts.GetValueOrDefault(match.Entity) + 1;
                action = found > action ? found : action;
            }
        }

        Counts = counts;
        Action = action;
    }

    public IReadOnlyList<List<PiiFinding>> Findings { get; }

    /// <summary>The strongest action over every finding: block &gt; warn &gt; tokenize/redact &gt; allow.</summary>
    public PiiAction Action { get; }

    public IReadOnlyDictionary<string, int> Counts { get; }

    /// <summary>A detector failed (timed out, errored) and the policy failed open: the findings are those of the detectors that answered.</summary>
    public bool DetectorFailed { get; }

    public bool Changes => Action is PiiAction.Redact or PiiAction.Tokenize || HasReplacements();

    private bool HasReplacements()
    {
        foreach (var text in Findings)
        {
            foreach (var finding in text)
            {
                if (finding.Action is PiiAction.Redact or PiiAction.Tokenize)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
