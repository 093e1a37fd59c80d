using System.Text.Json;
using Gateway.Domain.Providers;

namespace Gateway.Domain.Usage.Costing;

/// <summary>
/// Prices a usage event in decimal USD. Token counts are the provider's <c>usage</c> when present,
/// else counted (<see cref="TokenCounter"/>) and marked estimated. Prices come from the
/// <see cref="PriceTable"/>; a provider setting's BricksLLM <c>costMap</c> (USD per 1K tokens, keyed by
/// the request's model) replaces a table price when it is non-zero. A model with no price costs 0
/// and is flagged <see cref="UsageCost.UnknownModel"/>.
/// </summary>
public sealed class UsageCostCalculator(PriceTable prices)
{
    private const decimal PerMillion = 1_000_000m;
    private const decimal PerThousandToPerMillion = 1_000m;
    private const int Decimals = 10;

    public UsageCost Calculate(UsageEventMessage message, CostMap? costMap)
    {
        ArgumentNullException.ThrowIfNull(message);
        var kind = KindOf(message.Path);
        var price = prices.Find(message.Provider, message.Model, message.DeploymentId);
        var cost = kind switch
        {
            UsageKind.Images => PriceImages(message, price),
            UsageKind.Transcription => PriceTranscription(message, price),
            UsageKind.Speech => PriceSpeech(message, price),
            _ => PriceTokens(message, kind, price, costMap),
        };

        // A response cache hit called no provider: it keeps the tokens it saved and costs nothing.
        return message.Cached ? cost with { Prompt = 0m, CachedPrompt = 0m, Completion = 0m, CacheWrite = 0m, CacheRead = 0m } : cost;
    }

    /// <summary>The kind of a proxied path (<c>.../v1/chat/completions</c>, <c>.../embeddings</c>, ...).</summary>
    public static UsageKind KindOf(string? path)
    {
        var p = path ?? string.Empty;
        if (p.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            return UsageKind.Embeddings;
        }

        if (p.Contains("/images/", StringComparison.Ordinal))
        {
            return UsageKind.Images;
        }

        if (p.EndsWith("/audio/transcriptions", StringComparison.Ordinal) || p.EndsWith("/audio/translations", StringComparison.Ordinal))
        {
            return UsageKind.Transcription;
        }

        return p.EndsWith("/audio/speech", StringComparison.Ordinal) ? UsageKind.Speech : UsageKind.Text;
    }

    private static UsageCost PriceTokens(UsageEventMessage message, UsageKind kind, ModelPrice? price, CostMap? costMap)
    {
        var usage = message.Usage;
        int promptTokens, completionTokens, cached = 0, reasoning = 0, cacheWrite = 0, cacheRead = 0;
        bool estimated;
        if (usage is not null)
        {
            promptTokens = Math.Max(0, usage.PromptTokens);
            completionTokens = kind == UsageKind.Embeddings ? 0 : Math.Max(0, usage.CompletionTokens);
            cached = Math.Clamp(usage.CachedPromptTokens, 0, promptTokens);
            reasoning = Math.Clamp(usage.ReasoningTokens, 0, completionTokens);
            cacheWrite = Math.Max(0, usage.CacheCreationInputTokens);
            cacheRead = Math.Max(0, usage.CacheReadInputTokens);
            estimated = message.ClientDisconnected;
        }
        else
        {
            promptTokens = TokenCounter.Count(message.Model, message.PromptText);
            completionTokens = kind == UsageKind.Embeddings ? 0 : TokenCounter.Count(message.Model, message.CompletionText);
            estimated = message.ClientDisconnected || message.PromptText is not null || message.CompletionText is not null;
        }

        // BricksLLM's costMap is per 1K tokens; embeddings have their own map.
        var mappedInput = MappedPrice(kind == UsageKind.Embeddings ? costMap?.EmbeddingsCostPerModel : costMap?.PromptCostPerModel, message.Model);
        var mappedOutput = kind == UsageKind.Embeddings ? null : MappedPrice(costMap?.CompletionCostPerModel, message.Model);
        var input = mappedInput ?? price?.Input ?? 0m;
        var output = mappedOutput ?? price?.Output ?? 0m;
        var cachedInput = mappedInput ?? price?.CachedInput ?? input;
        var reasoningRate = mappedOutput ?? price?.Reasoning ?? output;
        var cacheWriteRate = mappedInput ?? price?.CacheWrite ?? input;
        var cacheReadRate = mappedInput ?? price?.CacheRead ?? input;

        return new UsageCost(
            promptTokens,
            completionTokens,
            Prompt: Cost(promptTokens - cached, input),
            CachedPrompt: Cost(cached, cachedInput),
            Completion: Round((((completionTokens - reasoning) * output) + (reasoning * reasoningRate)) / PerMillion),
            CacheWrite: Cost(cacheWrite, cacheWriteRate),
            CacheRead: Cost(cacheRead, cacheReadRate),
            Estimated: estimated,
            UnknownModel: price is null && mappedInput is null && mappedOutput is null && !string.IsNullOrEmpty(message.Model));
    }

    private static UsageCost PriceImages(UsageEventMessage message, ModelPrice? price)
    {
        // The proxy reports n, size and quality of JSON requests (or they are read from a logged body); otherwise one
        // standard 1024x1024 image is assumed and the event is marked estimated.
        var (count, size, quality, known) = message.ImageCount is { } imageCount
            ? (imageCount, message.ImageSize ?? "1024x1024", message.ImageQuality ?? "standard", true)
            : ImageRequest(message.RequestBody);
        decimal? each = null;
        if (price?.Images is { } images)
        {
            each = images.TryGetValue($"{quality}/{size}", out var exact) ? exact
                : images.TryGetValue($"standard/{size}", out var standard) ? standard
                : null;
        }

        return new UsageCost(0, 0, 0m, 0m, Round(count * (each ?? 0m)), 0m, 0m, Estimated: !known, UnknownModel: each is null && !string.IsNullOrEmpty(message.Model));
    }

    private static UsageCost PriceTranscription(UsageEventMessage message, ModelPrice? price)
    {
        // BricksLLM: whole seconds of audio, over 60, times the per-minute price.
        var minutes = message.AudioSeconds is { } seconds ? Math.Truncate((decimal)Math.Max(0, seconds)) / 60m : 0m;
        var rate = price?.AudioPerMinute;
        return new UsageCost(0, 0, Round(minutes * (rate ?? 0m)), 0m, 0m, 0m, 0m, Estimated: message.AudioSeconds is null, UnknownModel: rate is null && !string.IsNullOrEmpty(message.Model));
    }

    private static UsageCost PriceSpeech(UsageEventMessage message, ModelPrice? price)
    {
        // The proxy's prompt text of a speech request is its "input" (plus a newline).
        var characters = message.SpeechCharacters ?? message.PromptText?.TrimEnd('\n').Length;
        var rate = price?.SpeechPerMillionCharacters;
        return new UsageCost(0, 0, Cost(characters ?? 0, rate ?? 0m), 0m, 0m, 0m, 0m, Estimated: characters is null, UnknownModel: rate is null && !string.IsNullOrEmpty(message.Model));
    }

    private static decimal? MappedPrice(Dictionary<string, decimal>? map, string model)
        => map is not null && map.TryGetValue(model, out var perThousand) && perThousand > 0 ? perThousand * PerThousandToPerMillion : null;

    private static decimal Cost(int units, decimal perMillion) => Round(units * perMillion / PerMillion);

    private static decimal Round(decimal usd) => decimal.Round(usd, Decimals, MidpointRounding.AwayFromZero);

    private static (int Count, string Size, string Quality, bool Known) ImageRequest(string? body)
    {
        if (string.IsNullOrEmpty(body))
        {
            return (1, "1024x1024", "standard", false);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var count = root.TryGetProperty("n", out var n) && n.TryGetInt32(out var value) && value > 0 ? value : 1;
            var size = root.TryGetProperty("size", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : "1024x1024";
            var quality = root.TryGetProperty("quality", out var q) && q.ValueKind == JsonValueKind.String ? q.GetString()! : "standard";
            return (count, size, quality, true);
        }
        catch (JsonException)
        {
            // Multipart edits and variations are not JSON: one image of the default size.
            return (1, "1024x1024", "standard", false);
        }
    }
}
