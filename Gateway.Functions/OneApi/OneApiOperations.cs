namespace Gateway.Functions.OneApi;

/// <summary>What a one-API request asks for.</summary>
internal enum OneApiOperation
{
    ChatCompletions,
    Embeddings,
}

internal static class OneApiOperations
{
    public const string ChatPath = "chat/completions";
    public const string EmbeddingsPath = "embeddings";

    public static bool TryParse(string path, out OneApiOperation operation)
    {
        operation = path switch
        {
            ChatPath => OneApiOperation.ChatCompletions,
            EmbeddingsPath => OneApiOperation.Embeddings,
            _ => (OneApiOperation)(-1),
        };
        return operation >= 0;
    }
}
