using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Gateway.Domain.Caching;

/// <summary>
/// The response cache's request identity: SHA-256 over everything that changes the answer
/// (provider, resolved model and deployment, path with query, and the JSON body with its keys
/// sorted at every depth and the volatile top-level fields removed).
/// </summary>
/// <remarks>
/// Strings and numbers are hashed as their raw JSON text: <c>0</c> and <c>0.0</c>, or an escaped
/// and an unescaped letter, are different requests. That can only cost a miss, never serve one
/// request another's answer, and it never throws on text the proxy did not validate. The header
/// fields are length-prefixed so that no two (provider, model, path) triples share a prefix.
/// </remarks>
public static class CanonicalRequest
{
    private const string Version = "gw-cache-v1";

    /// <summary>Top-level fields that do not change the answer: transport, end-user identity, tags.</summary>
    private static readonly string[] Volatile = ["stream", "stream_options", "user", "metadata"];

    /// <summary>The 32-byte digest, or null when the body is not a JSON object.</summary>
    public static byte[]? Digest(string provider, string? model, string? deployment, string path, ReadOnlySpan<byte> jsonBody)
        => Digest(provider, model, deployment, path, jsonBody, out _);

    /// <summary>
    /// The digest, and whether the request asks for a repeatable answer (Braintrust's <c>auto</c>
    /// rule): <c>temperature</c> is 0 or a <c>seed</c> is set.
    /// </summary>
    public static byte[]? Digest(string provider, string? model, string? deployment, string path, ReadOnlySpan<byte> jsonBody, out bool repeatable)
    {
        repeatable = false;
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(path);
        var buffer = new ArrayBufferWriter<byte>(jsonBody.Length + 256);
        WriteField(buffer, Version);
        WriteField(buffer, provider);
        WriteField(buffer, model ?? string.Empty);
        WriteField(buffer, deployment ?? string.Empty);
        WriteField(buffer, path);
        if (Parse(jsonBody) is not { } document)
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            repeatable = IsRepeatable(root);

            try
            {
                using var writer = new Utf8JsonWriter(buffer);
                WriteCanonical(writer, document.RootElement, topLevel: true);
            }
            catch (InvalidOperationException)
            {
                // A property name with a lone escaped surrogate: not cacheable, never an error.
                return null;
            }
        }

        return SHA256.HashData(buffer.WrittenSpan);
    }

    /// <summary>Braintrust's <c>auto</c> rule on a request object: <c>temperature</c> is 0 or a <c>seed</c> is set.</summary>
    public static bool IsRepeatable(JsonElement root)
        => (root.TryGetProperty("temperature", out var temperature) && temperature.ValueKind == JsonValueKind.Number && temperature.TryGetDouble(out var t) && t == 0)
            || (root.TryGetProperty("seed", out var seed) && seed.ValueKind != JsonValueKind.Null);

    /// <summary>The canonical JSON alone (sorted keys, volatile fields removed); for tests and diagnostics.</summary>
    public static string CanonicalJson(ReadOnlySpan<byte> jsonBody)
    {
        using var document = JsonDocument.Parse(jsonBody.ToArray());
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteCanonical(writer, document.RootElement, topLevel: true);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    internal static JsonDocument? Parse(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        try
        {
            return JsonDocument.TryParseValue(ref reader, out var document) && !reader.Read() ? document : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static void WriteField(ArrayBufferWriter<byte> buffer, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
        buffer.Write(length);
        buffer.Write(bytes);
    }

    private static void WriteCanonical(Utf8JsonWriter writer, JsonElement element, bool topLevel)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var properties = new List<JsonProperty>();
                foreach (var property in element.EnumerateObject())
                {
                    if (!topLevel || Array.IndexOf(Volatile, property.Name) < 0)
                    {
                        properties.Add(property);
                    }
                }

                // Stable: duplicate names keep their order.
                var ordered = properties.OrderBy(static p => p.Name, StringComparer.Ordinal);
                writer.WriteStartObject();
                foreach (var property in ordered)
                {
                    writer.WritePropertyName(property.Name);
                    WriteCanonical(writer, property.Value, topLevel: false);
                }

                writer.WriteEndObject();
                break;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (var item in element.EnumerateArray())
                {
                    WriteCanonical(writer, item, topLevel: false);
                }

                writer.WriteEndArray();
                break;
            default:
                writer.WriteRawValue(element.GetRawText(), skipInputValidation: true);
                break;
        }
    }
}
