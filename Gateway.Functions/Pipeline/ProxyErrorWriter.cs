using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Gateway.Functions.Providers;
using Microsoft.Extensions.Primitives;

namespace Gateway.Functions.Pipeline;

/// <summary>
/// Errors the gateway itself produces on proxy paths, in the provider's own shape so that its SDK
/// surfaces the message and honours <c>Retry-After</c>: OpenAI's
/// <c>{"error":{"message","type","param","code"}}</c> (BricksLLM's <c>code</c> is the status as a string)
/// or Anthropic's <c>{"type":"error","error":{"type","message"}}</c>. Messages carry BricksLLM's
/// <c>[BricksLLM]</c> prefix for scripts that look for it, and never a key.
/// </summary>
internal static class ProxyErrorWriter
{
    private const string Prefix = "[BricksLLM] ";

    public static async Task WriteAsync(HttpContext context, ApiStyle style, ProxyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Kind is ProxyErrorKind.ClientGone or ProxyErrorKind.Answered || context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        if (context.Response.HasStarted)
        {
            // Too late for a status: the client sees a cut connection, never a half-valid body.
            context.Abort();
            return;
        }

        // The gateway's own x-gateway-* headers (how a route tried to answer) describe the error too.
        var kept = GatewayHeaders(context.Response.Headers);
        context.Response.Clear();
        if (kept is not null)
        {
            foreach (var (name, value) in kept)
            {
                context.Response.Headers[name] = value;
            }
        }

        context.Response.StatusCode = outcome.Status;
        context.Response.ContentType = "application/json";
        if (outcome.RetryAfter is { } after)
        {
            context.Response.Headers.RetryAfter = ((long)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteBody(writer, style, outcome);
        }

        context.Response.ContentLength = buffer.WrittenCount;
        try
        {
            await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client left while the error was written: nobody to tell.
        }
    }

    private static List<KeyValuePair<string, StringValues>>? GatewayHeaders(IHeaderDictionary headers)
    {
        List<KeyValuePair<string, StringValues>>? kept = null;
        foreach (var header in headers)
        {
            if (header.Key.StartsWith("x-gateway-", StringComparison.OrdinalIgnoreCase))
            {
                (kept ??= []).Add(header);
            }
        }

        return kept;
    }

    /// <summary>
    /// An error inside a started event stream (idle timeout, upstream cut): one SSE event the
    /// provider's SDK raises as an error. OpenAI style ends with <c>[DONE]</c>, as BricksLLM does.
    /// </summary>
    public static byte[] SseEvent(ApiStyle style, ProxyOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var buffer = new ArrayBufferWriter<byte>(256);
        buffer.Write(style == ApiStyle.Anthropic ? "event: error\ndata: "u8 : "data: "u8);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            if (style == ApiStyle.Anthropic)
            {
                WriteBody(writer, style, outcome);
            }
            else
            {
                writer.WriteStartObject();
                writer.WriteStartObject("error");
                writer.WriteString("type", "bricksllm_error");
                writer.WriteString("message", Prefix + outcome.Message);
                writer.WriteString("code", outcome.Status.ToString(CultureInfo.InvariantCulture));
                writer.WriteEndObject();
                writer.WriteEndObject();
            }
        }

        buffer.Write(style == ApiStyle.Anthropic ? "\n\n"u8 : "\n\ndata: [DONE]\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteBody(Utf8JsonWriter writer, ApiStyle style, ProxyOutcome outcome)
    {
        writer.WriteStartObject();
        if (style == ApiStyle.Anthropic)
        {
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", AnthropicType(outcome.Kind));
            writer.WriteString("message", Prefix + outcome.Message);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteStartObject("error");
            writer.WriteString("message", Prefix + outcome.Message);
            writer.WriteString("type", OpenAIType(outcome.Kind));
            writer.WriteNull("param");
            writer.WriteString("code", outcome.Status.ToString(CultureInfo.InvariantCulture));
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static string OpenAIType(ProxyErrorKind kind) => kind switch
    {
        ProxyErrorKind.Authentication => "authentication_error",
        ProxyErrorKind.Permission => "permission_error",
        ProxyErrorKind.NotFound => "not_found_error",
        ProxyErrorKind.RateLimited => "rate_limit_error",
        ProxyErrorKind.InvalidRequest or ProxyErrorKind.TooLarge => "invalid_request_error",
        _ => "api_error",
    };

    private static string AnthropicType(ProxyErrorKind kind) => kind switch
    {
        ProxyErrorKind.Authentication => "authentication_error",
        ProxyErrorKind.Permission => "permission_error",
        ProxyErrorKind.NotFound => "not_found_error",
        ProxyErrorKind.TooLarge => "request_too_large",
        ProxyErrorKind.RateLimited => "rate_limit_error",
        ProxyErrorKind.InvalidRequest => "invalid_request_error",
        ProxyErrorKind.Unavailable => "overloaded_error",
        _ => "api_error",
    };
}
