using System.Text;
using System.Text.Json;
using Gateway.Domain.Hosting;

namespace Gateway.Ingest.Functions.Usage;

/// <summary>
/// The queue message(s) in a Functions host invocation, <c>{"Data": {"message": ...}, "Metadata": {...}}</c>.
/// The documented form is the message text as a JSON string; the host also hands over a JSON object
/// (a message it parsed), the text serialized once more (a string holding a JSON string literal:
/// the host's HTTP worker serializes non-object values with Json.NET), Base64 (a byte[] binding), and
/// an array of any of these (<c>"cardinality": "many"</c>). All are accepted.
/// </summary>
internal static class UsageTriggerPayload
{
    /// <summary>The trigger binding's <c>name</c> in both function.json files.</summary>
    public const string BindingName = "message";

    public static IReadOnlyList<byte[]> Messages(FunctionInvocationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.Data.TryGetValue(BindingName, out var data))
        {
            throw new PermanentInvocationException($"The invocation has no '{BindingName}' trigger data.");
        }

        return data.ValueKind == JsonValueKind.Array ? [.. data.EnumerateArray().Select(Body)] : [Body(data)];
    }

    private static byte[] Body(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => Encoding.UTF8.GetBytes(element.GetRawText()),
        JsonValueKind.String => Unwrap(element.GetString()!, depth: 0),
        _ => Encoding.UTF8.GetBytes(element.GetRawText()), // not a message: the ingestor says why
    };

    private static byte[] Unwrap(string text, int depth)
    {
        var trimmed = text.AsSpan().Trim();
        if (trimmed.StartsWith("{"))
        {
            return Encoding.UTF8.GetBytes(text);
        }

        if (trimmed.StartsWith("\"") && depth < 2)
        {
            try
            {
                if (JsonSerializer.Deserialize(trimmed, IngestJsonContext.Default.String) is { } inner)
                {
                    return Unwrap(inner, depth + 1);
                }
            }
            catch (JsonException)
            {
                // Not a JSON string literal after all.
            }
        }

        var buffer = new byte[trimmed.Length];
        if (Convert.TryFromBase64Chars(trimmed, buffer, out var written) && written > 0 && depth < 2)
        {
            var decoded = Encoding.UTF8.GetString(buffer, 0, written);
            if (decoded.AsSpan().TrimStart().StartsWith("{"))
            {
                return Encoding.UTF8.GetBytes(decoded);
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }
}
