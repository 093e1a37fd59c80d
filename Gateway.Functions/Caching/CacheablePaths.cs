using Gateway.Domain.Caching;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Caching;

/// <summary>The paths whose answers the cache keeps, by the shape the client receives.</summary>
internal static class CacheablePaths
{
    /// <summary>The kind of answer the request gets: a route's by its <c>requestFormat</c>, else by its path.</summary>
    public static CachedResponseKind? KindOf(Pipeline.ProxyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Route is { } route)
        {
            return string.Equals(route.RequestFormat, "openai_embeddings", StringComparison.Ordinal) ? CachedResponseKind.Embeddings : CachedResponseKind.ChatCompletion;
        }

        return KindOf(context.Path, context.Adapter.ErrorStyle);
    }

    /// <summary>The kind of answer <paramref name="path"/> (below the provider's prefix) gives, or null when it is not cached.</summary>
    public static CachedResponseKind? KindOf(string path, ApiStyle style)
    {
        if (path.EndsWith("chat/completions", StringComparison.Ordinal))
        {
            return CachedResponseKind.ChatCompletion;
        }

        if (path == "completions" || path.EndsWith("/completions", StringComparison.Ordinal))
        {
            return CachedResponseKind.TextCompletion;
        }

        if (path == "embeddings" || path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            return CachedResponseKind.Embeddings;
        }

        return style == ApiStyle.Anthropic && (path == "v1/messages" || path == "messages") ? CachedResponseKind.AnthropicMessage : null;
    }
}
