namespace Gateway.Functions.Providers;

/// <summary>The wire format of a provider's API: what its bodies, streams and errors look like.</summary>
internal enum ApiStyle
{
    /// <summary>OpenAI and the APIs that copy it (Azure OpenAI, vLLM, DeepInfra).</summary>
    OpenAI,
    Anthropic,
}
