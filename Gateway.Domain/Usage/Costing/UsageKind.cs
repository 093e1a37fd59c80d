namespace Gateway.Domain.Usage.Costing;

/// <summary>What a request bought, from its path: which prices apply.</summary>
public enum UsageKind
{
    /// <summary>Chat, completions, messages, responses: priced per token.</summary>
    Text,

    /// <summary>Embeddings: input tokens only.</summary>
    Embeddings,

    /// <summary>Image generation, edits and variations: per image.</summary>
    Images,

    /// <summary>Transcriptions and translations: per audio minute.</summary>
    Transcription,

    /// <summary>Text to speech: per character.</summary>
    Speech,
}
