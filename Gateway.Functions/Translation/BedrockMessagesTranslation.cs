using Gateway.Functions.Pipeline;
using Gateway.Functions.Providers;

namespace Gateway.Functions.Translation;

/// <summary>
/// OpenAI chat → Anthropic Messages on Bedrock: the same translation as Anthropic's with Bedrock's
/// body dialect (<c>anthropic_version: bedrock-2023-05-31</c>, no <c>model</c> or <c>stream</c>), sent to
/// <c>model/{model}/invoke</c> or <c>invoke-with-response-stream</c>. The answer is Anthropic's (the
/// adapter decodes Bedrock's event stream to Anthropic's SSE), so it is translated back the same way.
/// </summary>
internal sealed class BedrockMessagesTranslation : IChatTranslation
{
    public static BedrockMessagesTranslation Instance { get; } = new();

    // The version travels in the body; the request is signed, not keyed.
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = [];

    public RequestTranslation TranslateRequest(ReadOnlySpan<byte> openAiBody, string model) => AnthropicRequestTranslator.Translate(openAiBody, model, forBedrock: true);

    public string PathFor(TranslatedRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return BedrockPaths.Invoke(request.Model, request.Stream);
    }

    public IResponseTransform CreateResponseTransform(TranslatedRequest request, long created) => new AnthropicResponseTransform(request, created);
}
