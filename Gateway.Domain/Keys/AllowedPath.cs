namespace Gateway.Domain.Keys;

/// <summary>A path and method a key may call (BricksLLM's <c>allowedPaths</c> item).</summary>
public sealed record AllowedPath(string Path, string Method);
