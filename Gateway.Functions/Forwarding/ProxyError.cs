using System.Globalization;
using System.Text.Json;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// Errors the gateway itself produces on proxy paths, in the provider's own shape so that its SDK
/// surfaces the message and honours <c>Retry-After</c>: OpenAI's
/// <c>{"error":{"message","type","param","code"}}</c> (BricksLLM's <c>code</c> is the status as a string)
/// or Anthropic's <c>{"type":"error","error":{"type","message"}}</c>. Messages carry BricksLLM's
/// <c>[BricksLLM]</c> prefix for scripts that look for it, and never a key.
/// </summary>
internal static class ProxyError
{
    public static async Task WriteAsync(HttpContext context, ApiStyle style, int status, string message, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Response.HasStarted)
        {
            // Too late for a status: the client sees a cut connection, never a half-valid body.
            context.Abort();
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        if (retryAfter is { } after)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await using var writer = new Utf8JsonWriter(context.Response.Body);
        var text = "[BricksLLM] " + message;
        if (style == ApiStyle.Anthropic)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", AnthropicType(status));
            writer.WriteString("message", text);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", text);
            writer.WriteString("type", OpenAIType(status));
            writer.WriteNull("param");
            writer.WriteString("code", status.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        await writer.FlushAsync(context.RequestAborted);
    }

    private static string OpenAIType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "api_error",
    };

    private static string AnthropicType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        >= 400 and < 500 => "invalid_request_error",
        503 => "overloaded_error",
        _ => "api_error",
    };
}
