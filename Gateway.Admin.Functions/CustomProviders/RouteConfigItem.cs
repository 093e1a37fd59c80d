using System.Text.Json.Serialization;

namespace Gateway.Admin.Functions.CustomProviders;

/// <summary>A <c>route_configs</c> item as sent by a client (BricksLLM's snake_case; the locations are gjson paths).</summary>
internal sealed class RouteConfigItem
{
    [JsonPropertyName("path")]
    public string? Path { get; set; }

    [JsonPropertyName("target_url")]
    public string? TargetUrl { get; set; }

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
