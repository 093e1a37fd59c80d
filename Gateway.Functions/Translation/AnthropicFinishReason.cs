namespace Gateway.Functions.Translation;

/// <summary>Anthropic <c>stop_reason</c> → OpenAI <c>finish_reason</c>.</summary>
internal static class AnthropicFinishReason
{
    public static string Map(string? stopReason, bool jsonMode) => stopReason switch
    {
        "end_turn" or "stop_sequence" or "pause_turn" => "stop",
        "max_tokens" or "model_context_window_exceeded" => "length",

        // In JSON mode the forced tool call is the answer itself.
        "tool_use" => jsonMode ? "stop" : "tool_calls",
        "refusal" => "content_filter",
        _ => "stop",
    };
}
