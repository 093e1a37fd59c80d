using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// A string that holds JSON (a jsonb column) written as the JSON value itself, not as a string
/// literal. BricksLLM emitted these columns as base64 (Go <c>[]byte</c>); the issue asks for values.
/// </summary>
internal sealed class RawJsonConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteRawValue(value);
    }
}
