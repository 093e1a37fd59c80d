namespace Gateway.Functions.Translation;

/// <summary>
/// An OpenAI chat request rewritten for another provider, and what the response translation needs
/// to know about it.
/// </summary>
internal sealed record TranslatedRequest(byte[] Body, string Model, bool Stream, bool IncludeUsage, bool JsonMode);

/// <summary>A translated request or the field that could not be translated.</summary>
internal readonly record struct RequestTranslation(TranslatedRequest? Request, TranslationError? Error)
{
    public static implicit operator RequestTranslation(TranslatedRequest request) => new(request, null);

    public static implicit operator RequestTranslation(TranslationError error) => new(null, error);
}
