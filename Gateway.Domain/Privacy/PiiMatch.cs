namespace Gateway.Domain.Privacy;

/// <summary>One value found in a text: where (UTF-16 offsets) and of which entity type. The value itself is the text's.</summary>
public readonly record struct PiiMatch(int Start, int Length, string Entity)
{
    public int End => Start + Length;

    public bool Overlaps(PiiMatch other) => Start < other.End && other.Start < End;
}
