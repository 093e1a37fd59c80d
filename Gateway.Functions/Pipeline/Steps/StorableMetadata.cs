using System.Text.Json;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// Checks that an <c>X-METADATA</c> value is a JSON object PostgreSQL's <c>jsonb</c> will store:
/// ingest writes it to the event row, and an event that cannot be stored is never charged (a way
/// around spend limits). jsonb refuses numbers outside <c>numeric</c>'s range, <c>\u0000</c>, and
/// escapes that are not valid UTF-16 (a lone surrogate such as <c>"\ud800"</c>).
/// </summary>
internal static class StorableMetadata
{
    private const int MaxDepth = 64;

    /// <summary>Null when storable; otherwise what is wrong, for a 400.</summary>
    public static string? Check(string value)
    {
        try
        {
            using var document = JsonDocument.Parse(value, new JsonDocumentOptions { MaxDepth = MaxDepth });
            return document.RootElement.ValueKind != JsonValueKind.Object ? "must be a JSON object" : CheckElement(document.RootElement);
        }
        catch (JsonException)
        {
            return "must be a JSON object";
        }
    }

    private static string? CheckElement(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if ((CheckName(property) ?? CheckElement(property.Value)) is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    if (CheckElement(item) is { } error)
                    {
                        return error;
                    }
                }

                return null;
            case JsonValueKind.String:
                return CheckText(element);
            case JsonValueKind.Number:
                // A number that overflows a double (1e999999) is refused; numeric's own range is
                // wider, but no real metadata comes near either.
                return element.TryGetDouble(out var number) && double.IsFinite(number) ? null : "has a number PostgreSQL cannot store";
            default:
                return null;
        }
    }

    private static string? CheckName(JsonProperty property)
    {
        try
        {
            return property.Name.Contains('\0', StringComparison.Ordinal) ? NulError : null;
        }
        catch (InvalidOperationException)
        {
            return TextError;
        }
    }

    private static string? CheckText(JsonElement text)
    {
        try
        {
            return text.GetString()!.Contains('\0', StringComparison.Ordinal) ? NulError : null;
        }
        catch (InvalidOperationException)
        {
            return TextError;
        }
    }

    private const string NulError = "has a \\u0000, which PostgreSQL cannot store";

    private const string TextError = "has text that is not valid UTF-16 (a lone surrogate)";
}
