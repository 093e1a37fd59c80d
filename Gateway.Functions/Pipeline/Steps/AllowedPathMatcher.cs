using Gateway.Domain.Keys;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// Matches a request against a key's <c>allowedPaths</c>. BricksLLM compares route templates
/// (<c>/api/providers/openai/v1/files/:file_id</c>); here a segment written <c>:name</c> or
/// <c>*</c> matches any one segment, and a trailing <c>/*</c> any rest. Methods compare
/// case-insensitively; an empty method allows all.
/// </summary>
internal static class AllowedPathMatcher
{
    public static bool IsAllowed(IReadOnlyList<AllowedPath> allowed, string method, string path)
    {
        foreach (var rule in allowed)
        {
            if ((string.IsNullOrEmpty(rule.Method) || string.Equals(rule.Method, method, StringComparison.OrdinalIgnoreCase))
                && Matches(rule.Path, path))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Matches(string pattern, string path)
    {
        var p = pattern.Trim('/').Split('/');
        var s = path.Trim('/').Split('/');
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == "*" && i == p.Length - 1 && s.Length >= p.Length)
            {
                return true;
            }

            if (i >= s.Length)
            {
                return false;
            }

            if (p[i] != "*" && !p[i].StartsWith(':') && !string.Equals(p[i], s[i], StringComparison.Ordinal))
            {
                return false;
            }
        }

        return p.Length == s.Length;
    }
}
