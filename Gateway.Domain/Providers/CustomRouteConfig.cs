using System.Text.Json.Serialization;

namespace Gateway.Domain.Providers;

/// <summary>One path of a custom provider; field names are BricksLLM's snake_case (gjson locations).</summary>
public sealed class CustomRouteConfig
{
    [JsonPropertyName("path")]
    public string Path { get; set; } = string.Empty;

    [JsonPropertyName("target_url")]
    public string TargetUrl { get; set; } = string.Empty;

    [JsonPropertyName("model_location")]
    public string? ModelLocation { get; set; }

    [JsonPropertyName("request_prompt_location")]
    public string? RequestPromptLocation { get; set; }

    [JsonPropertyName("response_completion_location")]
    public string? ResponseCompletionLocation { get; set; }

    [JsonPropertyName("stream_location")]
    public string? StreamLocation { get; set; }

    [JsonPropertyName("stream_end_word")]
    public string? StreamEndWord { get; set; }

    [JsonPropertyName("stream_response_completion_location")]
    public string? StreamResponseCompletionLocation { get; set; }

    [JsonPropertyName("stream_max_empty_messages")]
    public int? StreamMaxEmptyMessages { get; set; }
}
