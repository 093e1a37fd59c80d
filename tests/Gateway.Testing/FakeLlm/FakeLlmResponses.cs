using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Gateway.Testing.FakeLlm;

/// <summary>Writes non-streamed bodies and errors in the shape of the provider the request was for.</summary>
internal static class FakeLlmResponses
{
    public static async Task WriteJsonAsync(FakeLlmExchange x, int statusCode, byte[] body)
    {
        var response = x.Context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        await WriteBodyAsync(x, body);
    }

    public static async Task WriteBytesAsync(FakeLlmExchange x, string contentType, ReadOnlyMemory<byte> body)
    {
        var response = x.Context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = contentType;
        await WriteBodyAsync(x, body);
    }

    /// <summary>
    /// An error in the provider's own shape. OpenAI: <c>{"error":{"message","type","param","code"}}</c>.
    /// Azure: <c>{"error":{"code","message"}}</c>, except 400s, which Azure passes through from the
    /// model in OpenAI's shape. Anthropic: <c>{"type":"error","error":{"type","message"},"request_id"}</c>.
    /// </summary>
    public static Task WriteErrorAsync(
        FakeLlmExchange x,
        int statusCode,
        string message,
        string openAiType = "invalid_request_error",
        string? param = null,
        string? code = null)
    {
        var body = x.Provider switch
        {
            FakeLlmProvider.Bedrock => FakeLlmServer.BedrockError(x.Context.Response, statusCode, message),
            FakeLlmProvider.Anthropic => FakeJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("type", "error");
                w.WriteStartObject("error");
                w.WriteString("type", AnthropicErrorType(statusCode));
                w.WriteString("message", message);
                w.WriteEndObject();
                w.WriteString("request_id", x.RequestId);
                w.WriteEndObject();
            }),
            FakeLlmProvider.Azure when statusCode != 400 => FakeJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("error");
                w.WriteString("code", code ?? statusCode.ToString(CultureInfo.InvariantCulture));
                w.WriteString("message", message);
                w.WriteEndObject();
                w.WriteEndObject();
            }),
            _ => FakeJson.Write(w =>
            {
                w.WriteStartObject();
                w.WriteStartObject("error");
                w.WriteString("message", message);
                w.WriteString("type", openAiType);
                w.WriteString("param", param);
                w.WriteString("code", code);
                w.WriteEndObject();
                w.WriteEndObject();
            }),
        };
        return WriteJsonAsync(x, statusCode, body);
    }

    /// <summary>The response to a <see cref="FakeLlmFaultKind.Status"/> fault.</summary>
    public static Task WriteFaultAsync(FakeLlmExchange x, FakeLlmFault fault)
    {
        var headers = x.Context.Response.Headers;
        if (fault.RetryAfter is { } retryAfter)
        {
            var seconds = (long)Math.Ceiling(retryAfter.TotalSeconds);
            headers[HeaderNames.RetryAfter] = seconds.ToString(CultureInfo.InvariantCulture);
            if (x.Provider == FakeLlmProvider.Azure)
            {
                headers["retry-after-ms"] = ((long)retryAfter.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
            }
        }

        if (fault.Body is { } body)
        {
            return WriteJsonAsync(x, fault.StatusCode, Encoding.UTF8.GetBytes(body));
        }

        var wait = fault.RetryAfter is { } r ? (long)Math.Ceiling(r.TotalSeconds) : 1;
        return fault.StatusCode switch
        {
            429 when x.Provider == FakeLlmProvider.Azure => WriteErrorAsync(
                x, 429, $"Rate limit is exceeded. Try again in {wait} seconds."),
            429 when x.Provider == FakeLlmProvider.Anthropic => WriteErrorAsync(
                x, 429, "Number of request tokens has exceeded your per-minute rate limit."),
            429 => WriteErrorAsync(
                x, 429, $"Rate limit reached for requests. Please try again in {wait}s.", "requests", code: "rate_limit_exceeded"),
            500 => WriteErrorAsync(
                x, 500, x.Provider == FakeLlmProvider.Anthropic ? "Internal server error" : "The server had an error while processing your request. Sorry about that!", "server_error"),
            503 or 529 => WriteErrorAsync(
                x, fault.StatusCode, x.Provider == FakeLlmProvider.Anthropic ? "Overloaded" : "The engine is currently overloaded, please try again later.", "server_error"),
            var status => WriteErrorAsync(
                x, status, $"Simulated HTTP {status} from the fake provider.", status >= 500 ? "server_error" : "invalid_request_error"),
        };
    }

    private static string AnthropicErrorType(int statusCode) => statusCode switch
    {
        400 => "invalid_request_error",
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        _ => "api_error",
    };

    /// <summary>With a drop fault, a non-streamed body is cut after half its bytes and the connection aborted.</summary>
    private static async Task WriteBodyAsync(FakeLlmExchange x, ReadOnlyMemory<byte> body)
    {
        var response = x.Context.Response;
        response.ContentLength = body.Length;
        if (x.DropFault is null)
        {
            await response.Body.WriteAsync(body, x.Aborted);
            return;
        }

        await response.Body.WriteAsync(body[..(body.Length / 2)], x.Aborted);
        await response.Body.FlushAsync(x.Aborted);
        throw await x.DropAsync();
    }
}
