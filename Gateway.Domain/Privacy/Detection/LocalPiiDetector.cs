namespace Gateway.Domain.Privacy.Detection;

/// <summary>
/// The local detector: patterns and checksums, no network. Runs a policy's recognisers in their
/// order over one text; a candidate that overlaps one already taken is dropped, so each
/// character belongs to at most one finding.
/// </summary>
public static class LocalPiiDetector
{
    /// <summary>The findings in <paramref name="text"/>, sorted by position and free of overlaps.</summary>
    /// <exception cref="System.Text.RegularExpressions.RegexMatchTimeoutException">An admin regex ran past <see cref="PolicyCompiler.RegexTimeout"/>.</exception>
    public static List<PiiFinding> Detect(string text, CompiledPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(policy);
        var taken = new List<PiiFinding>();
        if (text.Length == 0 || policy.Local.Count == 0)
        {
            return taken;
        }

        var candidates = new List<PiiMatch>();
        foreach (var (recognizer, action) in policy.Local)
        {
            candidates.Clear();
            recognizer.Find(text, candidates);
            foreach (var candidate in candidates)
            {
                TryTake(taken, new PiiFinding(candidate, action));
            }
        }

        if (policy.WantsCardDetails)
        {
            candidates.Clear();
            var matches = taken.ConvertAll(static f => f.Match);
            CardDetailsRecognizer.Find(text, matches, candidates);
            foreach (var candidate in candidates)
            {
                if (policy.ActionFor(candidate.Entity) is { } action)
                {
                    TryTake(taken, new PiiFinding(candidate, action));
                }
            }
        }

        return taken;
    }

    /// <summary>Merges findings of another detector (Azure AI Language) into sorted, non-overlapping <paramref name="taken"/>.</summary>
    public static void Merge(List<PiiFinding> taken, IEnumerable<PiiFinding> more)
    {
        ArgumentNullException.ThrowIfNull(taken);
        ArgumentNullException.ThrowIfNull(more);
        foreach (var finding in more)
        {
            TryTake(taken, finding);
        }
    }

    // taken is kept sorted by start and free of overlaps, so only the neighbours need a look.
    private static void TryTake(List<PiiFinding> taken, PiiFinding finding)
    {
        var index = taken.BinarySearch(finding, StartComparer.Instance);
        if (index >= 0)
        {
            return;
        }

        index = ~index;
        if ((index > 0 && taken[index - 1].Match.Overlaps(finding.Match))
            || (index < taken.Count && taken[index].Match.Overlaps(finding.Match)))
        {
            return;
        }

        taken.Insert(index, finding);
    }

    private sealed class StartComparer : IComparer<PiiFinding>
    {
        public static readonly StartComparer Instance = new();

        public int Compare(PiiFinding x, PiiFinding y) => x.Match.Start.CompareTo(y.Match.Start);
    }
}
