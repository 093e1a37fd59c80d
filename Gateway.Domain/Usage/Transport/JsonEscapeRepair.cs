using System.Text.RegularExpressions;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// Mends the JSON escapes that parsers refuse although the JSON grammar allows them: a lone UTF-16
/// surrogate (<c>\ud800</c> without its pair: System.Text.Json will not read it as a string, and
/// PostgreSQL's <c>jsonb</c> refuses it) and <c>\u0000</c> (PostgreSQL text cannot hold NUL). Each
/// becomes <c>\ufffd</c>, the replacement character, as a UTF-8 decoder does with invalid bytes.
/// </summary>
public static partial class JsonEscapeRepair
{
    /// <summary>The text with those escapes replaced; the same instance when it has none.</summary>
    public static string Repair(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        if (!json.Contains("\\u", StringComparison.OrdinalIgnoreCase))
        {
            return json;
        }

        // An escape starts after an even number of backslashes (an odd one escapes the backslash).
        json = LoneHighSurrogate().Replace(json, "$1\\ufffd");
        json = LoneLowSurrogate().Replace(json, "$1\\ufffd");
        return Nul().Replace(json, "$1\\ufffd");
    }

    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})")]
    private static partial Regex LoneHighSurrogate();

    [GeneratedRegex(@"(?<!\\u[dD][89abAB][0-9a-fA-F]{2})(?<!\\)((?:\\\\)*)\\u[dD][c-fC-F][0-9a-fA-F]{2}")]
    private static partial Regex LoneLowSurrogate();

    [GeneratedRegex(@"(?<!\\)((?:\\\\)*)\\u0000")]
    private static partial Regex Nul();
}
