namespace Gateway.Domain.Usage.Costing;

/// <summary>One model's prices: USD per 1M tokens, per image, per audio minute, per 1M speech characters.</summary>
public sealed class ModelPrice
{
    public decimal? Input { get; set; }

    /// <summary>OpenAI cached prompt tokens; defaults to <see cref="Input"/>.</summary>
    public decimal? CachedInput { get; set; }

    public decimal? Output { get; set; }

    /// <summary>Reasoning tokens (part of the completion); defaults to <see cref="Output"/>.</summary>
    public decimal? Reasoning { get; set; }

    /// <summary>Anthropic cache writes; defaults to <see cref="Input"/>.</summary>
    public decimal? CacheWrite { get; set; }

    /// <summary>Anthropic cache reads; defaults to <see cref="Input"/>.</summary>
    public decimal? CacheRead { get; set; }

    /// <summary>USD per image by <c>{quality}/{size}</c>, e.g. <c>hd/1024x1792</c>.</summary>
    public Dictionary<string, decimal>? Images { get; set; }

    public decimal? AudioPerMinute { get; set; }

    public decimal? SpeechPerMillionCharacters { get; set; }
}
