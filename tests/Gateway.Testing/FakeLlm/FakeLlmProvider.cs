namespace Gateway.Testing.FakeLlm;

/// <summary>Which service a request path belongs to: decides authentication and the error shape.</summary>
internal enum FakeLlmProvider
{
    /// <summary>Not a provider path: answered by the echo endpoint, no authentication.</summary>
    None,
    OpenAi,
    Azure,
    Anthropic,

    /// <summary>Amazon Bedrock's runtime API (<c>/model/{id}/invoke...</c>): SigV4, Bedrock's error shape.</summary>
    Bedrock,
}
