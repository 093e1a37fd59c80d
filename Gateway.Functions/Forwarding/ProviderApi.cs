namespace Gateway.Functions.Forwarding;

/// <summary>The wire format of a provider's API: what its bodies, streams and errors look like.</summary>
internal enum ApiStyle
{
    /// <summary>OpenAI and the APIs that copy it (Azure OpenAI, vLLM, DeepInfra).</summary>
    OpenAI,
    Anthropic,
}

/// <summary>A provider the proxy serves at <c>/api/providers/{name}/...</c>.</summary>
internal sealed record ProviderApi(string Name, ApiStyle Style, IReadOnlyList<string> KnownPaths)
{
    public static readonly ProviderApi OpenAI = new("openai", ApiStyle.OpenAI,
    [
        "v1/chat/completions", "v1/completions", "v1/embeddings", "v1/moderations", "v1/models", "v1/files", "v1/batches",
        "v1/images", "v1/audio", "v1/assistants", "v1/threads", "v1/vector_stores", "v1/responses", "v1/uploads",
        "v1/fine_tuning", "v1/conversations",
    ]);

    public static readonly ProviderApi Azure = new("azure", ApiStyle.OpenAI, ["chat/completions", "completions", "embeddings", "images", "audio"]);

    public static readonly ProviderApi Anthropic = new("anthropic", ApiStyle.Anthropic, ["v1/messages", "v1/complete", "v1/models"]);

    public static readonly ProviderApi Vllm = new("vllm", ApiStyle.OpenAI, ["v1/chat/completions", "v1/completions", "v1/embeddings", "v1/models"]);

    public static readonly ProviderApi DeepInfra = new("deepinfra", ApiStyle.OpenAI, ["v1/chat/completions", "v1/completions", "v1/embeddings"]);

    /// <summary>
    /// Whether <paramref name="path"/> (below the provider's prefix) is one of the endpoints served
    /// to every key; any other path needs the key's <c>allowedPaths</c> to name it.
    /// </summary>
    public bool IsKnownPath(string path)
    {
        foreach (var known in KnownPaths)
        {
            if (path.StartsWith(known, StringComparison.Ordinal) && (path.Length == known.Length || path[known.Length] == '/'))
            {
                return true;
            }
        }

        return false;
    }
}
