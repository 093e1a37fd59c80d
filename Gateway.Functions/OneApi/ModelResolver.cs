using Gateway.Domain.Providers;
using Gateway.Functions.Providers;

namespace Gateway.Functions.OneApi;

/// <summary>
/// Model → provider for the one API, in order: an explicit <c>provider/model</c> (a provider name
/// or one of the key's setting names before the first slash); a setting of the key that lists the
/// model in <c>allowedModels</c>; the model family (<c>gpt-*</c>, <c>o1*</c>, <c>o3*</c>,
/// <c>o4*</c>, <c>text-embedding-*</c> → OpenAI, <c>claude-*</c> → Anthropic,
/// <c>anthropic.claude-*</c> → Bedrock). Ambiguity or no match is a 400 naming the model and what
/// was tried.
/// </summary>
internal static class ModelResolver
{
    private static readonly (string Prefix, string Provider)[] Families =
    [
        ("gpt-", BuiltInProviders.OpenAi),
        ("o1", BuiltInProviders.OpenAi),
        ("o3", BuiltInProviders.OpenAi),
        ("o4", BuiltInProviders.OpenAi),
        ("text-embedding-", BuiltInProviders.OpenAi),
        ("claude-", BuiltInProviders.Anthropic),
        ("anthropic.claude-", BuiltInProviders.Bedrock),
    ];

    /// <summary>Resolves <paramref name="model"/> over the key's <paramref name="settings"/>; the string is the 400's message on failure.</summary>
    public static (ModelResolution? Resolution, string? Error) Resolve(string model, IReadOnlyList<ProviderSetting> settings, ProviderAdapters adapters)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(adapters);
        var tried = new List<string>(3);

        // 1. provider/model or settingName/model. A slash may also be part of a model name
        // (meta-llama/Llama-3-8b on vLLM), so a prefix that names nothing of the key falls through.
        var slash = model.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && slash < model.Length - 1)
        {
            var prefix = model[..slash];
            var rest = model[(slash + 1)..];
            var explicitSettings = Matching(settings, s => s.Provider == prefix || (s.Name.Length > 0 && s.Name == prefix));
            if (explicitSettings.Count > 0)
            {
                return Single(model, explicitSettings, rest, adapters, $"explicit provider '{prefix}'");
            }

            tried.Add(adapters.TryGet(prefix, out _) ? $"provider '{prefix}' (the key has no setting of it)" : $"prefix '{prefix}' (no provider or setting of the key by that name)");
        }

        // 2. a setting that lists the model.
        var listing = Matching(settings, s => s.AllowedModels.Contains(model, StringComparer.Ordinal));
        if (listing.Count > 0)
        {
            return Single(model, listing, model, adapters, "allowedModels");
        }

        tried.Add("allowedModels of the key's settings (none lists it)");

        // 3. the model family.
        foreach (var (familyPrefix, provider) in Families)
        {
            if (!IsFamily(model, familyPrefix))
            {
                continue;
            }

            var family = Matching(settings, s => s.Provider == provider && s.AllowedModels.Count == 0);
            if (family.Count > 0)
            {
                return Single(model, family, model, adapters, $"model family '{familyPrefix}*'");
            }

            tried.Add($"model family '{familyPrefix}*' → {provider} (the key has no {provider} setting that allows every model)");
            return (null, NotFound(model, tried));
        }

        tried.Add("model families (gpt-*, o1*, o3*, o4*, text-embedding-*, claude-*, anthropic.claude-*: none matches)");
        return (null, NotFound(model, tried));
    }

    private static bool IsFamily(string model, string prefix)
        => prefix == "anthropic.claude-"
            ? model.Contains(prefix, StringComparison.Ordinal) // Bedrock inference profiles: us.anthropic.claude-...
            : model.StartsWith(prefix, StringComparison.Ordinal) && (prefix.EndsWith('-') || model.Length == prefix.Length || model[prefix.Length] == '-');

    private static (ModelResolution?, string?) Single(string model, List<ProviderSetting> candidates, string upstreamModel, ProviderAdapters adapters, string how)
    {
        var provider = candidates[0].Provider;
        var first = TargetOf(candidates[0]);
        foreach (var setting in candidates)
        {
            if (TargetOf(setting) != first)
            {
                return (null, $"model '{model}' is ambiguous: {how} matches settings of {first} and {TargetOf(setting)}; name the provider as '<provider>/{upstreamModel}'");
            }
        }

        return adapters.TryGet(provider, out var target) && target.Route is not null
            ? (new ModelResolution(target, candidates, upstreamModel, how), null)
            : (null, $"model '{model}' resolved by {how} to provider '{provider}', which the one API cannot reach");
    }

    // OpenAI-compatible settings are separate providers (Groq, Together, ...), told apart by name.
    private static string TargetOf(ProviderSetting setting)
        => setting.Provider == BuiltInProviders.OpenAiCompatible ? setting.Name : setting.Provider;

    private static List<ProviderSetting> Matching(IReadOnlyList<ProviderSetting> settings, Func<ProviderSetting, bool> predicate)
    {
        var matching = new List<ProviderSetting>();
        foreach (var setting in settings)
        {
            if (predicate(setting))
            {
                matching.Add(setting);
            }
        }

        return matching;
    }

    private static string NotFound(string model, List<string> tried)
        => $"model '{model}' is not reachable with this key; tried: {string.Join("; ", tried)}";
}
