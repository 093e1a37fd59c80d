using System.Text;
using Gateway.Domain.Privacy;

namespace Gateway.Functions.Privacy;

/// <summary>
/// Turns the placeholders of tokenized values back into the values in an answer; a placeholder
/// split across events (<c>[EMA</c> + <c>IL_1]</c>) is held back until it is whole.
/// </summary>
internal sealed class DetokenizingWindow(PlaceholderBook book) : ITextWindow
{
    private string _pending = string.Empty;

    public string Push(string text)
    {
        _pending += text;

        // Hold back from an unclosed '[' that could still become a placeholder.
        var open = _pending.LastIndexOf('[');
        var cut = open >= 0 && _pending.IndexOf(']', open) < 0 && _pending.Length - open < book.LongestPlaceholder ? open : _pending.Length;
        var output = Replace(_pending[..cut]);
        _pending = _pending[cut..];
        return output;
    }

    public string Flush()
    {
        var output = Replace(_pending);
        _pending = string.Empty;
        return output;
    }

    private string Replace(string text)
    {
        if (text.IndexOf('[', StringComparison.Ordinal) < 0)
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var copied = 0;
        for (var open = text.IndexOf('['); open >= 0; open = text.IndexOf('[', open + 1))
        {
            var close = text.IndexOf(']', open);
            if (close < 0)
            {
                break;
            }

            if (book.Tokens.TryGetValue(text.Substring(open, close - open + 1), out var value))
            {
                output.Append(text, copied, open - copied).Append(value);
                copied = close + 1;
                open = close;
            }
        }

        return output.Append(text, copied, text.Length - copied).ToString();
    }
}
