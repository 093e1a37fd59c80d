namespace Gateway.Testing.FakeLlm;

/// <summary>Where a streamed response reports token usage.</summary>
public enum FakeLlmStreamUsage
{
    /// <summary>
    /// What the real services do. OpenAI and Azure: one extra chunk with <c>"choices": []</c> and
    /// <c>usage</c> just before <c>data: [DONE]</c>, only when the request had
    /// <c>stream_options.include_usage: true</c> (every other chunk then carries <c>"usage": null</c>).
    /// Anthropic: <c>input_tokens</c> in <c>message_start</c> (with <c>output_tokens: 1</c>) and the
    /// final <c>output_tokens</c> in <c>message_delta</c>.
    /// </summary>
    AsProviderDoes,

    /// <summary>
    /// Usage appears only in the last event. OpenAI and Azure: the usage chunk is sent even when
    /// the request did not ask for it, and no other chunk has a <c>usage</c> field. Anthropic:
    /// <c>message_start</c> reports zero tokens and <c>message_delta</c> carries both
    /// <c>input_tokens</c> and <c>output_tokens</c>.
    /// </summary>
    FinalEventOnly,

    /// <summary>
    /// No usage in the stream at all (like Azure API versions before 2024-09): OpenAI and Azure send
    /// no usage chunk even when asked; Anthropic reports zero tokens in both events. The gateway must
    /// count tokens itself.
    /// </summary>
    None,
}
