using System.Text.RegularExpressions;

namespace Gateway.Domain.Privacy.Detection;

/// <summary>
/// One entity type found by a pattern, optionally confirmed by a rule over the candidate (a
/// checksum, a context word); the match is the group <c>v</c> when the pattern has one. A
/// <c>take</c> rule may instead keep only a prefix of the candidate (its length, 0 to drop it):
/// a card number followed by more digits.
/// </summary>
internal sealed class PatternRecognizer(string entity, Regex pattern, Func<string, Match, bool>? accept = null, Func<ReadOnlySpan<char>, int>? take = null)
{
    private readonly int _valueGroup = pattern.GroupNumberFromName("v");

    public string Entity => entity;

    public void Find(string text, List<PiiMatch> found)
    {
        for (var match = pattern.Match(text); match.Success; match = match.NextMatch())
        {
            if (accept is not null && !accept(text, match))
            {
                continue;
            }

            Group value = _valueGroup >= 0 ? match.Groups[_valueGroup] : match;
            var length = take is null ? value.Length : take(value.ValueSpan);
            if (length > 0)
            {
                found.Add(new PiiMatch(value.Index, length, entity));
            }
        }
    }
}
