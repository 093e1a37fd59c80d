namespace Gateway.Functions.Providers;

/// <summary>
/// Where a provider's JSON request keeps what the proxy reads: dotted paths (<c>metadata.user_id</c>)
/// below the body's root object. The first user path present wins.
/// </summary>
internal sealed record RequestFields(string? Model, string? Stream, IReadOnlyList<string> User)
{
    /// <summary>OpenAI's <c>model</c>, <c>stream</c>, <c>user</c>; Anthropic's <c>metadata.user_id</c> is accepted too (BricksLLM reads both).</summary>
    public static RequestFields OpenAI { get; } = new("model", "stream", ["user", "metadata.user_id"]);

    public static RequestFields Anthropic { get; } = new("model", "stream", ["metadata.user_id", "user"]);
}
