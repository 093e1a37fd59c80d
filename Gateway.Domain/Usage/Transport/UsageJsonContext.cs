using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// Source-generated JSON of the usage event on the queue: camelCase, nulls omitted, read
/// case-insensitively. Non-ASCII text stays UTF-8 (the queue is not HTML), so a message's size is its
/// text's size and the claim-check thresholds hold.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(UsageEventMessage))]
[JsonSerializable(typeof(UsageBatchEnvelope))]
[JsonSerializable(typeof(UsagePoisonMessage))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class UsageJsonContext : JsonSerializerContext
{
    /// <summary>The context with the relaxed encoder; use this instead of <c>Default</c>.</summary>
    public static UsageJsonContext Queue { get; } = new(new JsonSerializerOptions(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNameCaseInsensitive = true,
    });
}
