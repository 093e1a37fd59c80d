using System.Text;
using System.Text.Json;

namespace Gateway.Functions.Providers;

/// <summary>
/// The part of gjson's path syntax BricksLLM's custom providers store (<c>model_location</c>,
/// <c>choices.0.message.content</c>, <c>messages.#.content</c>): dot-separated keys, <c>\.</c> for a
/// literal dot, a number indexes an array, <c>#</c> maps the rest of the path over an array's
/// elements. Modifiers and queries (<c>@</c>, <c>#(...)</c>) are not supported and find nothing.
/// </summary>
internal static class CustomProviderJsonPath
{
    /// <summary>
    /// The text at <paramref name="path"/> as BricksLLM reads content: a string as is, the strings
    /// of an array concatenated; anything else (or nothing found) is null.
    /// </summary>
    public static string? Text(JsonElement root, string? path)
    {
        if (string.IsNullOrEmpty(path) || Find(root, Split(path), 0) is not { } found)
        {
            return null;
        }

        if (found.ValueKind == JsonValueKind.String)
        {
            return found.GetString();
        }

        if (found.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        StringBuilder? text = null;
        foreach (var item in found.EnumerateArray())
        {
            if (item.ValueKind == JsonValueKind.String && item.GetString() is { Length: > 0 } value)
            {
                (text ??= new StringBuilder()).Append(value);
            }
        }

        return text?.ToString();
    }

    /// <summary>The boolean at <paramref name="path"/>, or null when it is absent or not a boolean.</summary>
    public static bool? Boolean(JsonElement root, string? path)
        => !string.IsNullOrEmpty(path) && Find(root, Split(path), 0) is { ValueKind: JsonValueKind.True or JsonValueKind.False } found ? found.GetBoolean() : null;

    /// <summary>Parses <paramref name="json"/> and reads the text at <paramref name="path"/>; null when it is not JSON.</summary>
    public static string? Text(ReadOnlySpan<byte> json, string? path)
    {
        if (string.IsNullOrEmpty(path) || json.IsEmpty)
        {
            return null;
        }

        var reader = new Utf8JsonReader(json);
        try
        {
            return JsonDocument.TryParseValue(ref reader, out var document) ? Dispose(document, Text(document.RootElement, path)) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Dispose(JsonDocument document, string? text)
    {
        document.Dispose();
        return text;
    }

    private static JsonElement? Find(JsonElement current, List<string> segments, int index)
    {
        for (var i = index; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (segment == "#" && current.ValueKind == JsonValueKind.Array)
            {
                if (i + 1 == segments.Count)
                {
                    // "#" last: the array's length, as gjson answers.
                    using var count = JsonDocument.Parse(current.GetArrayLength().ToString(System.Globalization.CultureInfo.InvariantCulture));
                    return count.RootElement.Clone();
                }

                return MapOver(current, segments, i + 1);
            }

            if (current.ValueKind == JsonValueKind.Object && current.TryGetProperty(segment, out var property))
            {
                current = property;
            }
            else if (current.ValueKind == JsonValueKind.Array && int.TryParse(segment, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var at)
                && at < current.GetArrayLength())
            {
                current = current[at];
            }
            else
            {
                return null;
            }
        }

        return current;
    }

    private static JsonElement MapOver(JsonElement array, List<string> segments, int next)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            foreach (var item in array.EnumerateArray())
            {
                if (Find(item, segments, next) is { } found)
                {
                    found.WriteTo(writer);
                }
            }

            writer.WriteEndArray();
        }

        using var document = JsonDocument.Parse(buffer.ToArray());
        return document.RootElement.Clone();
    }

    private static List<string> Split(string path)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            var c = path[i];
            if (c == '\\' && i + 1 < path.Length)
            {
                current.Append(path[++i]);
            }
            else if (c == '.')
            {
                segments.Add(current.ToString());
                current.Clear();
            }
            else
            {
                current.Append(c);
            }
        }

        segments.Add(current.ToString());
        return segments;
    }
}
