using System.Collections.Frozen;
using System.Text.Json;

namespace Gateway.Domain.Usage.Costing;

/// <summary>
/// Model prices by provider, from the embedded <c>prices.json</c> with the deployment's overrides
/// on top. Lookups: an Azure deployment's own price; the model by exact name; the model by the
/// longest listed name it extends at a <c>-</c>, <c>@</c> or <c>:</c> (a dated snapshot or an
/// Anthropic family); for Azure, the same under <c>openai</c>. Names compare case-insensitively.
/// </summary>
public sealed class PriceTable
{
    private const string ResourceName = "Gateway.Domain.Usage.Costing.prices.json";

    private readonly FrozenDictionary<string, Provider> _providers;

    private PriceTable(FrozenDictionary<string, Provider> providers) => _providers = providers;

    /// <summary>The embedded table alone.</summary>
    public static PriceTable Default { get; } = FromDocument(LoadEmbedded());

    /// <summary>Parses a table or an override document; throws <see cref="JsonException"/> when malformed.</summary>
    public static PriceTableDocument Parse(string json)
        => JsonSerializer.Deserialize(json, CostingJsonContext.Default.PriceTableDocument) ?? new PriceTableDocument();

    /// <summary>The embedded table with <paramref name="overrides"/> on top: an override replaces a model's or a deployment's whole entry.</summary>
    public static PriceTable WithOverrides(PriceTableDocument? overrides)
    {
        var merged = LoadEmbedded();
        foreach (var (providerName, provider) in overrides?.Providers ?? [])
        {
            if (!merged.Providers.TryGetValue(providerName, out var target))
            {
                merged.Providers[providerName] = target = new ProviderPrices();
            }

            foreach (var (model, price) in provider.Models)
            {
                target.Models[model] = price;
            }

            foreach (var (deployment, price) in provider.Deployments)
            {
                target.Deployments[deployment] = price;
            }
        }

        return FromDocument(merged);
    }

    /// <summary>The price of <paramref name="model"/> at <paramref name="provider"/>, or null when none is known.</summary>
    public ModelPrice? Find(string provider, string? model, string? deploymentId = null)
    {
        if (!_providers.TryGetValue(provider ?? string.Empty, out var prices))
        {
            return BedrockAnthropicPrice(provider, model);
        }

        if (!string.IsNullOrEmpty(deploymentId) && prices.Deployments.TryGetValue(deploymentId, out var deployment))
        {
            return deployment;
        }

        if (string.IsNullOrEmpty(model))
        {
            return null;
        }

        return prices.Match(model)
            ?? (string.Equals(provider, "azure", StringComparison.OrdinalIgnoreCase) && _providers.TryGetValue("openai", out var openAi) ? openAi.Match(model) : null)
            ?? BedrockAnthropicPrice(provider, model);
    }

    /// <summary>
    /// Claude on Bedrock costs Anthropic's list price: a Bedrock model id (<c>anthropic.claude-3-5-haiku-20241022-v1:0</c>,
    /// or an inference profile <c>us.anthropic.claude-...</c>) is looked up under <c>anthropic</c> without its
    /// vendor (and region) prefix; a <c>bedrock</c> section (an override) wins when it lists the model.
    /// </summary>
    private ModelPrice? BedrockAnthropicPrice(string? provider, string? model)
    {
        const string Vendor = "anthropic.";
        if (!string.Equals(provider, "bedrock", StringComparison.OrdinalIgnoreCase) || model is null
            || !_providers.TryGetValue("anthropic", out var anthropic))
        {
            return null;
        }

        var vendor = model.IndexOf(Vendor, StringComparison.OrdinalIgnoreCase);
        return vendor < 0 ? null : anthropic.Match(model[(vendor + Vendor.Length)..]);
    }

    private static PriceTableDocument LoadEmbedded()
    {
        using var stream = typeof(PriceTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        return JsonSerializer.Deserialize(stream, CostingJsonContext.Default.PriceTableDocument)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is empty.");
    }

    private static PriceTable FromDocument(PriceTableDocument document)
        => new(document.Providers.ToFrozenDictionary(
            p => p.Key,
            p => new Provider(
                p.Value.Models.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase),
                p.Value.Deployments.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase)),
            StringComparer.OrdinalIgnoreCase));

    private sealed class Provider(FrozenDictionary<string, ModelPrice> models, FrozenDictionary<string, ModelPrice> deployments)
    {
        // Longest first, so the first listed name a model extends is the most specific one.
        private readonly string[] _byLength = [.. models.Keys.OrderByDescending(k => k.Length)];

        public FrozenDictionary<string, ModelPrice> Deployments => deployments;

        public ModelPrice? Match(string model)
        {
            if (models.TryGetValue(model, out var exact))
            {
                return exact;
            }

            foreach (var name in _byLength)
            {
                if (model.Length > name.Length && model[name.Length] is '-' or '@' or ':' && model.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                {
                    return models[name];
                }
            }

            return null;
        }
    }
}
