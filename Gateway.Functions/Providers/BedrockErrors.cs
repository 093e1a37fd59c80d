using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Gateway.Functions.Providers;

/// <summary>
/// Bedrock's errors in Anthropic's shape, so the native path answers like Anthropic and the one
/// API's Anthropic error translation applies: Bedrock names the error in <c>x-amzn-ErrorType</c>
/// (<c>ThrottlingException</c>, possibly followed by <c>:</c> and a namespace) and in a stream's
/// <c>:exception-type</c> header (<c>throttlingException</c>), with <c>{"message":"..."}</c> as the body.
/// </summary>
internal static class BedrockErrors
{
    public const string ErrorTypeHeader = "x-amzn-ErrorType";

    // A Bedrock error body is a short JSON object; anything longer is cut, not buffered whole.
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>Anthropic's error <c>type</c> for a Bedrock error name, or by the HTTP status when the name is not one we know.</summary>
    public static string AnthropicType(string bedrockName, int status)
    {
        var name = bedrockName.AsSpan();
        var colon = name.IndexOf(':');
        if (colon >= 0)
        {
            name = name[..colon];
        }

        return name switch
        {
            _ when name.Equals("ValidationException", StringComparison.OrdinalIgnoreCase) => "invalid_request_error",
            _ when name.Equals("AccessDeniedException", StringComparison.OrdinalIgnoreCase) => "permission_error",
            _ when name.Equals("UnrecognizedClientException", StringComparison.OrdinalIgnoreCase)
                || name.Equals("InvalidSignatureException", StringComparison.OrdinalIgnoreCase)
                || name.Equals("IncompleteSignatureException", StringComparison.OrdinalIgnoreCase)
                || name.Equals("ExpiredTokenException", StringComparison.OrdinalIgnoreCase) => "authentication_error",
            _ when name.Equals("ResourceNotFoundException", StringComparison.OrdinalIgnoreCase) => "not_found_error",
            _ when name.Equals("ThrottlingException", StringComparison.OrdinalIgnoreCase)
                || name.Equals("ServiceQuotaExceededException", StringComparison.OrdinalIgnoreCase) => "rate_limit_error",
            _ when name.Equals("ServiceUnavailableException", StringComparison.OrdinalIgnoreCase)
                || name.Equals("ModelNotReadyException", StringComparison.OrdinalIgnoreCase) => "overloaded_error",
            _ => Translation.AnthropicErrorTranslator.TypeForStatus(status),
        };
    }

    /// <summary><c>{"type":"error","error":{"type","message"}}</c>.</summary>
    public static byte[] AnthropicError(string type, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + message.Length);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", type);
            writer.WriteString("message", message);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Bedrock's <c>message</c> (the AWS SDKs also accept <c>Message</c>).</summary>
    public static string? MessageOf(JsonElement error)
    {
        if (error.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var name in (ReadOnlySpan<string>)["message", "Message"])
        {
            if (error.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }
        }

        return null;
    }

    /// <summary>An error response's body, rewritten in Anthropic's shape when it is read.</summary>
    public static HttpContent AnthropicContent(HttpContent bedrock, string? errorType, int status)
        => new ErrorContent(bedrock, errorType, status);

    private static async Task<byte[]> TranslateAsync(HttpContent bedrock, string? errorType, int status, CancellationToken cancellationToken)
    {
        var body = new byte[MaxErrorBodyBytes];
        var length = 0;
        await using (var stream = await bedrock.ReadAsStreamAsync(cancellationToken))
        {
            int read;
            while (length < body.Length && (read = await stream.ReadAsync(body.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }
        }

        string? message = null;
        try
        {
            using var document = JsonDocument.Parse(body.AsMemory(0, length));
            message = MessageOf(document.RootElement);
        }
        catch (JsonException)
        {
            // Not Bedrock's JSON (a load balancer's page): its text is the message.
        }

        message ??= length > 0 ? Encoding.UTF8.GetString(body, 0, length) : $"Bedrock answered HTTP {status}";
        var name = errorType ?? string.Empty;
        return AnthropicError(AnthropicType(name, status), message);
    }

    private sealed class ErrorContent : BedrockContent
    {
        private readonly string? _errorType;
        private readonly int _status;

        public ErrorContent(HttpContent bedrock, string? errorType, int status)
            : base(bedrock, "application/json")
        {
            _errorType = errorType;
            _status = status;
        }

        protected override async Task<Stream> OpenAsync(HttpContent bedrock, CancellationToken cancellationToken)
            => new MemoryStream(await TranslateAsync(bedrock, _errorType, _status, cancellationToken), writable: false);
    }
}
