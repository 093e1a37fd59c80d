using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Gateway.Testing.FakeLlm;

/// <summary>
/// Amazon Bedrock's runtime API for Anthropic models: <c>POST /model/{modelId}/invoke</c> (JSON) and
/// <c>/invoke-with-response-stream</c> (binary event stream, <see cref="BedrockFrameStream"/>). The
/// body is Anthropic's with <c>anthropic_version: bedrock-2023-05-31</c> and neither <c>model</c> nor
/// <c>stream</c> (Bedrock refuses both: the model is in the URL, streaming is the endpoint); a
/// <c>prompt</c> makes it the legacy Text Completions API. The answer (text, tool use, usage) is the
/// fake Anthropic's. Every request must be SigV4-signed for service <c>bedrock</c>
/// (<see cref="AuthenticateBedrockAsync"/>); errors are Bedrock's <c>{"message"}</c> with <c>x-amzn-ErrorType</c>.
/// </summary>
public sealed partial class FakeLlmServer
{
    public const string BedrockVersion = "bedrock-2023-05-31";

    /// <summary>Signature checks and Bedrock-only faults.</summary>
    public FakeBedrockBehavior Bedrock { get; } = new();

    private void MapBedrockEndpoints(WebApplication app)
    {
        app.MapPost("/model/{modelId}/invoke", context => HandleBedrockInvokeAsync(context, stream: false));
        app.MapPost("/model/{modelId}/invoke-with-response-stream", context => HandleBedrockInvokeAsync(context, stream: true));
    }

    private async Task HandleBedrockInvokeAsync(HttpContext context, bool stream)
    {
        var x = ExchangeOf(context);
        var modelId = RouteValue(context, "modelId") ?? string.Empty;
        if (x.Json is not { } json)
        {
            await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status400BadRequest, "Malformed input request, please reformat your input and try again.");
            return;
        }

        foreach (var refused in (ReadOnlySpan<string>)["model", "stream"])
        {
            if (json.ContainsKey(refused))
            {
                await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status400BadRequest, $"Malformed input request: #: extraneous key [{refused}] is not permitted, please reformat your input and try again.");
                return;
            }
        }

        if (FakeJson.String(json["anthropic_version"]) != BedrockVersion)
        {
            await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status400BadRequest, "Malformed input request: #: required key [anthropic_version] not found, please reformat your input and try again.");
            return;
        }

        if (!modelId.Contains("anthropic.claude", StringComparison.Ordinal))
        {
            await FakeLlmResponses.WriteErrorAsync(x, StatusCodes.Status400BadRequest, "The provided model identifier is invalid.");
            return;
        }

        // The Anthropic endpoints read these from the body: what Bedrock takes from the URL.
        json["model"] = modelId;
        json["stream"] = stream;
        if (stream)
        {
            var frames = new BedrockFrameStream(context.Response.Body, Bedrock);
            context.Response.Body = frames;
            context.Response.OnStarting(() =>
            {
                context.Response.ContentType = "application/vnd.amazon.eventstream";
                return Task.CompletedTask;
            });
        }

        if (json.ContainsKey("prompt"))
        {
            await HandleAnthropicCompleteAsync(context);
        }
        else
        {
            await HandleMessagesAsync(context);
        }
    }

    /// <summary>Bedrock's error: <c>{"message":"..."}</c> and the exception's name in <c>x-amzn-ErrorType</c>.</summary>
    internal static byte[] BedrockError(HttpResponse response, int statusCode, string message)
    {
        response.Headers["x-amzn-ErrorType"] = BedrockErrorType(statusCode) + ":http://internal.amazon.com/coral/com.amazon.bedrock/";
        return FakeJson.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("message", message);
            w.WriteEndObject();
        });
    }

    private static string BedrockErrorType(int statusCode) => statusCode switch
    {
        400 => "ValidationException",
        403 => "AccessDeniedException",
        404 => "ResourceNotFoundException",
        408 => "ModelTimeoutException",
        424 => "ModelErrorException",
        429 => "ThrottlingException",
        503 => "ServiceUnavailableException",
        _ => "InternalServerException",
    };

    private static void SetBedrockRequestId(FakeLlmExchange exchange)
        => exchange.Context.Response.Headers["x-amzn-RequestId"] = string.Create(CultureInfo.InvariantCulture, $"00000000-0000-4000-8000-{exchange.Request.Sequence:D12}");
}
