namespace Gateway.Domain.Privacy.Azure;

/// <summary>
/// Splits texts into the documents the synchronous API accepts: at most
/// <see cref="MaxDocumentChars"/> characters each (5,120 text elements; a UTF-16 code unit count
/// never undercounts text elements), cut at whitespace where there is some, batched
/// <see cref="MaxDocumentsPerRequest"/> per request (PII detection's limit; 5 × 5,120 characters
/// stay far below the 1 MB request limit).
/// </summary>
internal static class AzureLanguageDocuments
{
    public const int MaxDocumentChars = 5120;
    public const int MaxDocumentsPerRequest = 5;

    /// <summary>A piece of text <see cref="TextIndex"/> starting at <see cref="Offset"/>.</summary>
    public readonly record struct Piece(int TextIndex, int Offset, string Text);

    public static List<Piece[]> Batch(IReadOnlyList<string> texts)
    {
        var pieces = new List<Piece>();
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i];
            var offset = 0;
            while (offset < text.Length)
            {
                var length = Math.Min(MaxDocumentChars, text.Length - offset);
                if (offset + length < text.Length)
                {
                    // Cut after the last whitespace in the second half; never split a surrogate pair.
                    var cut = text.AsSpan(offset + (length / 2), length / 2).LastIndexOfAny(' ', '\n', '\t');
                    length = cut >= 0 ? (length / 2) + cut + 1 : length;
                    length -= char.IsHighSurrogate(text[offset + length - 1]) ? 1 : 0;
                }

                pieces.Add(new Piece(i, offset, text.Substring(offset, length)));
                offset += length;
            }
        }

        return [.. pieces.Chunk(MaxDocumentsPerRequest)];
    }
}
