using System.Text.Json.Serialization;

namespace Gateway.Domain.Privacy.Azure;

// The analyze-text wire format (api-version 2023-04-01), PiiEntityRecognition task only.
internal sealed record AnalyzeTextRequest(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("parameters")] PiiTaskParameters Parameters,
    [property: JsonPropertyName("analysisInput")] AnalysisInput AnalysisInput);

internal sealed record PiiTaskParameters(
    [property: JsonPropertyName("modelVersion")] string ModelVersion,
    [property: JsonPropertyName("loggingOptOut")] bool LoggingOptOut,
    [property: JsonPropertyName("piiCategories")] IReadOnlyList<string> PiiCategories,
    [property: JsonPropertyName("stringIndexType")] string StringIndexType);

internal sealed record AnalysisInput([property: JsonPropertyName("documents")] IReadOnlyList<AnalyzeDocument> Documents);

internal sealed record AnalyzeDocument(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("language")] string Language,
    [property: JsonPropertyName("text")] string Text);

internal sealed class AnalyzeTextResponse
{
    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("results")]
    public PiiResults? Results { get; set; }
}

internal sealed class PiiResults
{
    [JsonPropertyName("documents")]
    public List<PiiDocumentResult> Documents { get; set; } = [];

    [JsonPropertyName("errors")]
    public List<DocumentError> Errors { get; set; } = [];
}

internal sealed class PiiDocumentResult
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("entities")]
    public List<PiiEntityResult> Entities { get; set; } = [];
}

internal sealed class PiiEntityResult
{
    [JsonPropertyName("category")]
    public string Category { get; set; } = string.Empty;

    [JsonPropertyName("offset")]
    public int Offset { get; set; }

    [JsonPropertyName("length")]
    public int Length { get; set; }

    [JsonPropertyName("confidenceScore")]
    public double ConfidenceScore { get; set; }
}

internal sealed class DocumentError
{
    [JsonPropertyName("id")]
    public string Id { get; set; } = string.Empty;

    [JsonPropertyName("error")]
    public ErrorDetail? Error { get; set; }
}

internal sealed class ErrorDetail
{
    [JsonPropertyName("code")]
    public string? Code { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}

[JsonSerializable(typeof(AnalyzeTextRequest))]
[JsonSerializable(typeof(AnalyzeTextResponse))]
internal sealed partial class AzureLanguageJsonContext : JsonSerializerContext;
