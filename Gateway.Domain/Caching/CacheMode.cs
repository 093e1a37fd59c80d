namespace Gateway.Domain.Caching;

/// <summary>Braintrust's cache modes (<c>x-bt-use-cache</c>), also a key's or route's default.</summary>
public enum CacheMode
{
    /// <summary>Cache only answers that are meant to repeat: <c>temperature</c> 0, a <c>seed</c>, or embeddings.</summary>
    Auto,

    Always,

    Never,
}

/// <summary>Parsing of <see cref="CacheMode"/> as the header and the admin API spell it.</summary>
public static class CacheModes
{
    public const string Header = "x-bt-use-cache";

    public const string AnswerHeader = "x-bt-cached";

    public static bool TryParse(ReadOnlySpan<char> text, out CacheMode mode)
    {
        var trimmed = text.Trim();
        if (trimmed.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            mode = CacheMode.Auto;
            return true;
        }

        if (trimmed.Equals("always", StringComparison.OrdinalIgnoreCase))
        {
            mode = CacheMode.Always;
            return true;
        }

        if (trimmed.Equals("never", StringComparison.OrdinalIgnoreCase))
        {
            mode = CacheMode.Never;
            return true;
        }

        mode = CacheMode.Auto;
        return false;
    }

    public static string ToText(CacheMode mode) => mode switch
    {
        CacheMode.Always => "always",
        CacheMode.Never => "never",
        _ => "auto",
    };
}
