using System.Text.Json.Nodes;
using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Translation;

/// <summary>
/// Builds the <see cref="UpstreamAttempt"/> that sends an OpenAI-format chat or embeddings request
/// (the client's body) to any adapter: a function of the target adapter only, so the one API and
/// route steps share it. An adapter that speaks OpenAI gets the body with the model replaced (and
/// the usage chunk asked for); one that does not gets the translated body and a response transform.
/// </summary>
internal static class TranslatedAttempts
{
    private const string ChatPath = "v1/chat/completions";
    private const string EmbeddingsPath = "v1/embeddings";

    /// <summary>The Azure OpenAI GA API version used when the client names none (it accepts <c>stream_options</c>).</summary>
    public const string AzureApiVersion = "?api-version=2024-10-21";

    /// <summary>The attempt, or why there can be none (a 400 naming the untranslatable field).</summary>
    public static (UpstreamAttempt? Attempt, ProxyOutcome? Error) Create(ProxyContext context, IProviderAdapter target, ProviderSetting setting, string model, bool embeddings, long created)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(target);
        var body = context.Body;
        if (body is null)
        {
            return (null, ProxyOutcome.BadRequest("request body must be a JSON object"));
        }

        if (ChatTranslations.For(target) is { } translation)
        {
            if (embeddings)
            {
                return (null, ProxyOutcome.BadRequest($"model '{model}' is served by {target.Name}, which has no embeddings API"));
            }

            var translated = translation.TranslateRequest(body.Bytes.Span, model);
            if (translated.Error is { } error)
            {
                return (null, error.ToOutcome(target.Name));
            }

            var request = translated.Request!;
            return (new UpstreamAttempt(target, setting, translation.PathFor(request), deploymentId: model)
            {
                Model = model,
                Body = request.Body,
                Headers = translation.Headers,
                Translation = translation.CreateResponseTransform(request, created),
            }, null);
        }

        // An OpenAI-format adapter: OpenAI's v1/ paths, or Azure's deployment paths (no v1/, the model is the deployment).
        var openAiPath = embeddings ? EmbeddingsPath : ChatPath;
        var deploymentPath = !target.IsKnownPath(openAiPath);
        var path = deploymentPath ? openAiPath[3..] : openAiPath;

        // Azure's deployment paths need an api-version, which an OpenAI client does not send.
        var query = deploymentPath && !context.Http.Request.Query.ContainsKey("api-version") ? AzureApiVersion : null;
        var attempt = new UpstreamAttempt(target, setting, path, deploymentId: model) { Model = model, Query = query };
        if (body.Model == model)
        {
            // The client's body as it is: the forward step asks for the usage chunk.
            return (attempt, null);
        }

        if (body.Stream && target.CanForceUsageChunk(context, attempt))
        {
            body.RequestUsageChunk();
        }

        return (new UpstreamAttempt(target, setting, path, model) { Model = model, Query = query, Body = WithModel(body.Bytes.Span, model) }, null);
    }

    private static byte[] WithModel(ReadOnlySpan<byte> body, string model)
    {
        var node = JsonNode.Parse(body)!.AsObject();
        node["model"] = model;
        return JsonBytes.Of(node);
    }
}

/// <summary>The translation an adapter needs, by the API style it speaks: none for OpenAI's.</summary>
internal static class ChatTranslations
{
    public static IChatTranslation? For(IProviderAdapter target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target switch
        {
            IChatTranslationTarget own => own.ChatTranslation,
            _ when target.ErrorStyle == ApiStyle.Anthropic => AnthropicMessagesTranslation.Instance,
            _ => null,
        };
    }
}

/// <summary>An adapter that brings its own translation (Bedrock: another body dialect and path).</summary>
internal interface IChatTranslationTarget
{
    IChatTranslation ChatTranslation { get; }
}
