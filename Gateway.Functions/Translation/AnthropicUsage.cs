using System.Text.Json;

namespace Gateway.Functions.Translation;

/// <summary>
/// Anthropic usage as OpenAI reports it: OpenAI's <c>prompt_tokens</c> include cached input,
/// Anthropic's <c>input_tokens</c> exclude cache reads and writes, so the prompt is their sum and
/// <c>prompt_tokens_details.cached_tokens</c> the reads. Anthropic's own cache fields are kept next
/// to them (as LiteLLM does), since OpenAI's shape has no place for cache writes.
/// </summary>
internal struct AnthropicUsage
{
    public long InputTokens;
    public long OutputTokens;
    public long CacheReadTokens;
    public long CacheCreationTokens;

    public bool Seen;

    /// <summary>Takes the numbers present in an Anthropic <c>usage</c> object (message_delta repeats or updates them).</summary>
    public void Read(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        Seen = true;
        Take(usage, "input_tokens", ref InputTokens);
        Take(usage, "output_tokens", ref OutputTokens);
        Take(usage, "cache_read_input_tokens", ref CacheReadTokens);
        Take(usage, "cache_creation_input_tokens", ref CacheCreationTokens);
    }

    public readonly void Write(Utf8JsonWriter writer)
    {
        var prompt = InputTokens + CacheReadTokens + CacheCreationTokens;
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", prompt);
        writer.WriteNumber("completion_tokens", OutputTokens);
        writer.WriteNumber("total_tokens", prompt + OutputTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", CacheReadTokens);
        writer.WriteEndObject();
        writer.WriteNumber("cache_read_input_tokens", CacheReadTokens);
        writer.WriteNumber("cache_creation_input_tokens", CacheCreationTokens);
        writer.WriteEndObject();
    }

    private static void Take(JsonElement usage, string name, ref long target)
    {
        if (usage.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            target = number;
        }
    }
}
