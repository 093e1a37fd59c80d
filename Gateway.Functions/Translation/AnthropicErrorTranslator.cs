using System.Buffers;
using System.Text.Json;

namespace Gateway.Functions.Translation;

/// <summary>
/// Anthropic errors (<c>{"type":"error","error":{"type","message"}}</c>) → OpenAI's
/// <c>{"error":{"message","type","param","code"}}</c>. Statuses carry over, except Anthropic's 529
/// (overloaded), which OpenAI clients know as 503: both are retried by the SDKs.
/// </summary>
internal static class AnthropicErrorTranslator
{
    public const int Overloaded = 529;

    public static int MapStatus(int status) => status == Overloaded ? StatusCodes.Status503ServiceUnavailable : status;

    /// <summary>The OpenAI error body for an Anthropic error body; a body that is not one is wrapped as its message.</summary>
    public static byte[] Translate(ReadOnlySpan<byte> anthropic, int status)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        try
        {
            using var document = JsonDocument.Parse(anthropic.ToArray());
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out _))
            {
                WriteOpenAiError(document.RootElement, buffer, sse: false);
                return buffer.WrittenSpan.ToArray();
            }
        }
        catch (JsonException)
        {
            // Not JSON (a proxy's HTML page): carried as the message below.
        }

        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, System.Text.Encoding.UTF8.GetString(anthropic), TypeForStatus(status));
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes an Anthropic error element in OpenAI's shape; as an SSE <c>data:</c> event when <paramref name="sse"/>.</summary>
    public static void WriteOpenAiError(JsonElement anthropic, IBufferWriter<byte> output, bool sse)
    {
        ArgumentNullException.ThrowIfNull(output);
        var error = anthropic.TryGetProperty("error", out var inner) ? inner : anthropic;
        var message = AnthropicResponseTranslator.StringOf(error, "message") ?? "upstream error";
        var type = AnthropicResponseTranslator.StringOf(error, "type") ?? "api_error";
        if (sse)
        {
            output.Write("data: "u8);
        }

        using (var writer = new Utf8JsonWriter(output))
        {
            Write(writer, message, type);
        }

        if (sse)
        {
            output.Write("\n\n"u8);
        }
    }

    private static void Write(Utf8JsonWriter writer, string message, string type)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        writer.WriteNull("param");
        writer.WriteString("code", type);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Anthropic's error <c>type</c> for an HTTP status.</summary>
    public static string TypeForStatus(int status) => status switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        Overloaded or 503 => "overloaded_error",
        _ => "api_error",
    };
}
