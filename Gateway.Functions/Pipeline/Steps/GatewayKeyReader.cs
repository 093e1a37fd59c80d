using Microsoft.Extensions.Primitives;

namespace Gateway.Functions.Pipeline.Steps;

/// <summary>
/// Finds the gateway key where each SDK puts it, in BricksLLM's order: <c>x-api-key</c>
/// (Anthropic SDK), <c>api-key</c> (Azure SDK), then the token of <c>Authorization</c>
/// (<c>Bearer</c>, or any scheme). The first non-empty one wins.
/// </summary>
internal static class GatewayKeyReader
{
    public static string? Read(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (First(headers["x-api-key"]) is { } anthropic)
        {
            return anthropic;
        }

        if (First(headers["api-key"]) is { } azure)
        {
            return azure;
        }

        var authorization = First(headers.Authorization);
        if (authorization is null)
        {
            return null;
        }

        var space = authorization.IndexOf(' ', StringComparison.Ordinal);
        var token = space < 0 ? authorization : authorization[(space + 1)..].Trim();
        return token.Length == 0 ? null : token;
    }

    private static string? First(StringValues values)
    {
        var value = values.Count > 0 ? values[0]?.Trim() : null;
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
