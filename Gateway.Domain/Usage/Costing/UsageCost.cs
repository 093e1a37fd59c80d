namespace Gateway.Domain.Usage.Costing;

/// <summary>
/// A request's tokens and cost in USD, in parts that add up to <see cref="Total"/>: prompt (uncached
/// input; also audio minutes and speech characters), cached prompt, completion (reasoning included;
/// also images), cache writes and cache reads. Each part is rounded to 10 decimal places, the
/// precision of the <c>events</c> columns.
/// </summary>
public sealed record UsageCost(
    int PromptTokens,
    int CompletionTokens,
    decimal Prompt,
    decimal CachedPrompt,
    decimal Completion,
    decimal CacheWrite,
    decimal CacheRead,
    bool Estimated,
    bool UnknownModel)
{
    public decimal Total => Prompt + CachedPrompt + Completion + CacheWrite + CacheRead;
}
