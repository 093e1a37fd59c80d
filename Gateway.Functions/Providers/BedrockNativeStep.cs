using System.Text.Json;
using System.Text.Json.Nodes;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Translation;

namespace Gateway.Functions.Providers;

/// <summary>
/// BricksLLM's native Bedrock paths (<c>/api/providers/bedrock/anthropic/v1/{messages,complete}</c>):
/// the client sends Anthropic's body; each attempt is re-aimed at <c>model/{model}/invoke</c> (or
/// <c>invoke-with-response-stream</c> when <c>stream</c> is true) with <c>model</c> and <c>stream</c>
/// removed and <c>anthropic_version: bedrock-2023-05-31</c> (and the client's <c>anthropic-beta</c>
/// header as <c>anthropic_beta</c>) added, as Bedrock's InvokeModel wants. Runs after the attempts
/// are known (so after privacy rewrote the body, and after the cache missed) and before they are sent.
/// </summary>
internal sealed class BedrockNativeStep : IProxyStep
{
    /// <summary>After the one API's attempts (750), before the forward step (800).</summary>
    public const int Order = ProxyStepOrder.OneApiAttempts + 10;

    public ValueTask<StepResult> RunAsync(ProxyContext context)
    {
        if (context.Adapter is not BedrockAdapter || context.Attempts.Count == 0)
        {
            return StepResult.ContinueTask;
        }

        if (context.Body is not { } body || Parse(body.Bytes.Span) is not { } request)
        {
            return StepResult.EndTask(ProxyOutcome.BadRequest("request body must be a JSON object"));
        }

        var model = context.Model ?? body.Model;
        if (string.IsNullOrEmpty(model))
        {
            // Bedrock takes the model in the URL: without one there is nothing to call.
            return StepResult.EndTask(ProxyOutcome.BadRequest("model: Field required"));
        }

        request.Remove("model");
        request.Remove("stream");
        if (!request.ContainsKey("anthropic_version"))
        {
            request["anthropic_version"] = AnthropicRequestTranslator.BedrockVersion;
        }

        if (!request.ContainsKey("anthropic_beta") && Betas(context.Http.Request.Headers["anthropic-beta"]) is { Count: > 0 } betas)
        {
            request["anthropic_beta"] = betas;
        }

        var bytes = JsonBytes.Of(request);
        var path = BedrockPaths.Invoke(model, body.Stream);
        for (var i = 0; i < context.Attempts.Count; i++)
        {
            var attempt = context.Attempts[i];
            context.Attempts[i] = new UpstreamAttempt(attempt.Adapter, attempt.Setting, path, attempt.DeploymentId)
            {
                Model = model,
                Body = bytes,
                HeadersTimeout = attempt.HeadersTimeout,
            };
        }

        return StepResult.ContinueTask;
    }

    private static JsonObject? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static JsonArray? Betas(Microsoft.Extensions.Primitives.StringValues header)
    {
        JsonArray? betas = null;
        foreach (var value in header)
        {
            foreach (var beta in (value ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                (betas ??= []).Add(beta);
            }
        }

        return betas;
    }
}
