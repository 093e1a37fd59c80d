using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Providers;

/// <summary>
/// An OpenAI-compatible API (Groq, Together, Mistral, Perplexity, Fireworks, Ollama, LM Studio,
/// vLLM, Gemini's OpenAI endpoint) at <c>/api/providers/{settingName}/*</c>: the setting of kind
/// <c>openai-compatible</c> with that name gives the <c>url</c> (the base URL the provider documents
/// for OpenAI SDKs, e.g. <c>https://api.groq.com/openai/v1</c>) and an optional <c>apikey</c> (Bearer).
/// The path below the setting's name is appended to the url, as an OpenAI SDK would.
/// </summary>
internal sealed class OpenAiCompatibleAdapter() : ProviderAdapter(
    BuiltInProviders.OpenAiCompatible,
    ApiStyle.OpenAI,
    new ProviderRoute("/api/providers/{settingName}/{**path}", ProviderRoute.ReadWrite),
    RequestFields.OpenAI,
    ["chat/completions", "completions", "embeddings", "models"])
{
    public const string SettingNameRouteValue = "settingName";

    private const string UrlParameter = "url";

    public override bool Serves(ProxyContext context, ProviderSetting setting)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(setting);
        return setting.Provider == Name
            && context.Http.Request.RouteValues[SettingNameRouteValue] is string settingName
            && string.Equals(setting.Name, settingName, StringComparison.Ordinal);
    }

    public override bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return IsCompletionPath(attempt.Path);
    }

    protected override string? BaseUrl(ProviderSetting setting) => setting.Parameters.GetValueOrDefault(UrlParameter);
}
