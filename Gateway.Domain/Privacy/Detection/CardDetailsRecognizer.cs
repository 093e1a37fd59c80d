namespace Gateway.Domain.Privacy.Detection;

/// <summary>
/// A CVV or an expiry date is only recognisable next to a card number: an expiry (MM/YY,
/// MM/YYYY) within <see cref="Window"/> characters of a card, a CVV labelled as one (CVV, CVC,
/// CSC, security code) in that window, or a bare 3-4 digit number right after the card or its expiry.
/// </summary>
internal static class CardDetailsRecognizer
{
    public const int Window = 48;

    public static void Find(string text, List<PiiMatch> accepted, List<PiiMatch> found)
    {
        for (var i = 0; i < accepted.Count; i++)
        {
            var card = accepted[i];
            if (card.Entity != PiiEntity.CreditDebitNumber)
            {
                continue;
            }

            var start = Math.Max(0, card.Start - Window);
            var end = Math.Min(text.Length, card.End + Window);
            var lastEnd = card.End;
            foreach (var expiry in Matches(LocalPatterns.Expiry(), text, start, end, PiiEntity.CreditDebitExpiry, group: 0))
            {
                found.Add(expiry);
                lastEnd = expiry.Start >= card.End && lastEnd == card.End ? expiry.End : lastEnd;
            }

            foreach (var cvv in Matches(LocalPatterns.LabelledCvv(), text, start, end, PiiEntity.CreditDebitCvv, group: 1))
            {
                found.Add(cvv);
            }

            foreach (var after in (int[])[card.End, lastEnd])
            {
                var trailing = LocalPatterns.TrailingCvv().Match(text, after, Math.Min(text.Length - after, 12));
                if (trailing.Success)
                {
                    var value = trailing.Groups["v"];
                    found.Add(new PiiMatch(value.Index, value.Length, PiiEntity.CreditDebitCvv));
                }
            }
        }
    }

    private static IEnumerable<PiiMatch> Matches(System.Text.RegularExpressions.Regex pattern, string text, int start, int end, string entity, int group)
    {
        for (var m = pattern.Match(text, start, end - start); m.Success; m = m.NextMatch())
        {
            var value = group == 0 ? m : m.Groups["v"];
            yield return new PiiMatch(value.Index, value.Length, entity);
        }
    }
}
