using System.Text;

namespace Gateway.Domain.Usage.Ingest;

/// <summary>
/// Text as PostgreSQL can store it: no NUL (text cannot hold it), no lone UTF-16 surrogate (it has no
/// UTF-8 form; Npgsql's strict encoder would throw), and cut to its column's length.
/// </summary>
internal static class TextValue
{
    public static string? Clip(string? value, int maxLength)
    {
        if (value is null)
        {
            return null;
        }

        value = Clean(value);
        if (value.Length > maxLength)
        {
            value = value[..maxLength];
            if (char.IsHighSurrogate(value[^1]))
            {
                value = value[..^1];
            }
        }

        return value;
    }

    public static string Clean(string value)
    {
        StringBuilder? builder = null;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var paired = char.IsHighSurrogate(c) ? i + 1 < value.Length && char.IsLowSurrogate(value[i + 1])
                : !char.IsLowSurrogate(c) || (i > 0 && char.IsHighSurrogate(value[i - 1]));
            if (c != '\0' && paired)
            {
                builder?.Append(c);
                continue;
            }

            builder ??= new StringBuilder(value, 0, i, value.Length);
            if (c != '\0')
            {
                builder.Append('\uFFFD');
            }
        }

        return builder?.ToString() ?? value;
    }
}
