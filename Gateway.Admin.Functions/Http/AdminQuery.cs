namespace Gateway.Admin.Functions.Http;

/// <summary>Query-string input of the management API, checked like bodies (<see cref="FieldErrors"/>).</summary>
internal static class AdminQuery
{
    /// <summary>
    /// Every value of a repeated parameter, in BricksLLM's spellings: <c>tags=a&amp;tags=b</c> or
    /// <c>tags[]=a</c>. Empty values are dropped (<c>?tag=</c> means no filter, as in BricksLLM).
    /// </summary>
    public static List<string> Values(HttpContext context, string name, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var query = context.Request.Query;
        var values = new List<string>();
        foreach (var value in query[name].Concat(query[name + "[]"]))
        {
            if (string.IsNullOrEmpty(value) || values.Contains(value, StringComparer.Ordinal))
            {
                continue;
            }

            if (value.Contains('\0', StringComparison.Ordinal))
            {
                errors.Add(name, "must not contain the NUL character");
                continue;
            }

            values.Add(value);
        }

        return values;
    }

    /// <summary>A single optional value; null when absent or empty.</summary>
    public static string? Value(HttpContext context, string name, FieldErrors errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var values = context.Request.Query[name];
        if (values.Count > 1)
        {
            errors.Add(name, "must be given once");
        }

        var value = values.Count == 0 ? null : values[0];
        if (value is not null && value.Contains('\0', StringComparison.Ordinal))
        {
            errors.Add(name, "must not contain the NUL character");
            return null;
        }

        return string.IsNullOrEmpty(value) ? null : value;
    }

    /// <summary>An optional non-negative integer (<c>offset</c>, <c>limit</c>).</summary>
    public static int? NonNegativeInt(HttpContext context, string name, FieldErrors errors)
    {
        var text = Value(context, name, errors);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        errors.Add(name, $"must be a non-negative integer, got '{text}'");
        return null;
    }
}
