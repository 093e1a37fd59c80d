using System.Text;

namespace Gateway.Domain.Privacy;

/// <summary>
/// The placeholders of one request: <c>[EMAIL_1]</c>, <c>[EMAIL_2]</c>, ... numbered per entity
/// type, the same value always getting the same placeholder, so the model still sees which
/// mentions are the same. For <see cref="PiiAction.Tokenize"/> it is also the way back.
/// </summary>
public sealed class PlaceholderBook
{
    private readonly Dictionary<(string Entity, string Value), string> _byValue = [];
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    /// <summary>Placeholder → original value, for the tokenized values only.</summary>
    public IReadOnlyDictionary<string, string> Tokens => _values;

    /// <summary>The longest placeholder handed out: how much of a stream de-tokenization must hold back.</summary>
    public int LongestPlaceholder { get; private set; }

    public string PlaceholderFor(string entity, string value, bool reversible)
    {
        if (!_byValue.TryGetValue((entity, value), out var placeholder))
        {
            var number = _counters[entity] = _counters.GetValueOrDefault(entity) + 1;
            placeholder = $"[{entity.ToUpperInvariant()}_{number}]";
            _byValue[(entity, value)] = placeholder;
            LongestPlaceholder = Math.Max(LongestPlaceholder, placeholder.Length);
        }

        if (reversible)
        {
            _values[placeholder] = value;
        }

        return placeholder;
    }

    /// <summary><paramref name="text"/> with every findings' value replaced whose action is redact or tokenize.</summary>
    public string Apply(string text, IReadOnlyList<PiiFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        StringBuilder? result = null;
        var copied = 0;
        foreach (var (match, action) in findings)
        {
            if (action is not (PiiAction.Redact or PiiAction.Tokenize))
            {
                continue;
            }

            result ??= new StringBuilder(text.Length);
            result.Append(text, copied, match.Start - copied)
                .Append(PlaceholderFor(match.Entity, text.Substring(match.Start, match.Length), action == PiiAction.Tokenize));
            copied = match.End;
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }
}
