using System.Globalization;
using System.Text;
using System.Text.Json;
using Gateway.Domain.Usage.Transport;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// Makes a body or metadata storable in a <c>jsonb</c> column, so an optional field never costs the
/// event its row or its charge. JSON stays JSON, with the escapes PostgreSQL refuses mended
/// (<see cref="JsonEscapeRepair"/>); JSON that jsonb still cannot hold (a number beyond numeric's range,
/// e.g. <c>1e999999</c>) and text that is not JSON are stored as a JSON string holding the text.
/// </summary>
internal static class JsonbText
{
    public static string? Normalize(string? text)
    {
        if (text is null)
        {
            return null;
        }

        text = TextValue.Clean(text);
        var json = JsonEscapeRepair.Repair(text);
        return IsStorableJson(json) ? json : AsJsonString(text);
    }

    /// <summary>The text as a JSON string: always storable (the serializer escapes control characters; no NUL or lone surrogate is left).</summary>
    public static string AsJsonString(string text)
        => JsonSerializer.Serialize(TextValue.Clean(text), UsageJsonContext.Queue.String);

    /// <summary>Tags as a JSON array of clean strings, for the insert's <c>jsonb[]</c> column (unnested to <c>text[]</c>).</summary>
    public static string AsJsonArray(List<string>? values)
        => JsonSerializer.Serialize((values ?? []).Select(v => TextValue.Clean(v ?? string.Empty)).ToList(), UsageJsonContext.Queue.ListString);

    /// <summary>PII entity counts as a JSON object of clean names, or null when there are none.</summary>
    public static string? AsJsonObject(Dictionary<string, int>? counts)
        => counts is not { Count: > 0 }
            ? null
            : JsonSerializer.Serialize(counts.ToDictionary(p => TextValue.Clean(p.Key), p => p.Value, StringComparer.Ordinal), UsageJsonContext.Queue.DictionaryStringInt32);

    private static bool IsStorableJson(string json)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), new JsonReaderOptions { MaxDepth = 1000 });
            while (reader.Read())
            {
                // PostgreSQL's numeric holds far more than a double, but not every exponent: what a
                // double cannot hold is stored as text rather than risk the row.
                if (reader.TokenType == JsonTokenType.Number && !IsFinite(reader.ValueSpan))
                {
                    return false;
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    // PostgreSQL's numeric takes 131,072 digits before the point and 16,383 after: 1e999999 and
    // 1e-999999 overflow it (the latter is 0 as a double), so large exponents are refused here too.
    private static bool IsFinite(ReadOnlySpan<byte> number)
    {
        var e = number.IndexOfAny((byte)'e', (byte)'E');
        if (e >= 0 && (!int.TryParse(number[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent) || Math.Abs(exponent) > MaxExponent))
        {
            return false;
        }

        return double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value);
    }

    private const int MaxExponent = 300;
}
