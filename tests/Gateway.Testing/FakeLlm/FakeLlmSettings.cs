namespace Gateway.Testing.FakeLlm;

/// <summary>The <see cref="FakeLlmBehavior"/> values one request runs with, taken once when it arrives.</summary>
internal sealed record FakeLlmSettings(
    string ResponseText,
    int? PromptTokens,
    int EmbeddingDimensions,
    TimeSpan FirstByteDelay,
    TimeSpan ChunkDelay,
    FakeLlmStreamUsage StreamUsage,
    string? ExpectedOpenAiApiKey,
    string? ExpectedAzureApiKey,
    string? ExpectedAnthropicApiKey);
