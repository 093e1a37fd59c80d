using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Translation;

/// <summary>
/// How an OpenAI chat request reaches an adapter that speaks another format: the request body,
/// the path below the adapter's prefix, and the transform that turns the answer back into OpenAI's.
/// </summary>
internal interface IChatTranslation
{
    RequestTranslation TranslateRequest(ReadOnlySpan<byte> openAiBody, string model);

    /// <summary>Headers the target needs that an OpenAI client does not send.</summary>
    IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The path to send <paramref name="request"/> to, below the target adapter's prefix.</summary>
    string PathFor(TranslatedRequest request);

    IResponseTransform CreateResponseTransform(TranslatedRequest request, long created);
}

/// <summary>OpenAI chat → Anthropic Messages at <c>v1/messages</c>.</summary>
internal sealed class AnthropicMessagesTranslation : IChatTranslation
{
    /// <summary>The Messages API version the translation follows.</summary>
    public const string AnthropicVersion = "2023-06-01";

    public static AnthropicMessagesTranslation Instance { get; } = new();

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = [new("anthropic-version", AnthropicVersion)];

    public RequestTranslation TranslateRequest(ReadOnlySpan<byte> openAiBody, string model) => AnthropicRequestTranslator.Translate(openAiBody, model);

    public string PathFor(TranslatedRequest request) => "v1/messages";

    public IResponseTransform CreateResponseTransform(TranslatedRequest request, long created) => new AnthropicResponseTransform(request, created);
}
