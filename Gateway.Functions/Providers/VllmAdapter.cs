using Gateway.Domain.Providers;
using Gateway.Functions.Pipeline;

namespace Gateway.Functions.Providers;

/// <summary>A vLLM server's OpenAI-compatible API at the setting's <c>url</c>; Bearer only when the setting has an <c>apikey</c>.</summary>
internal sealed class VllmAdapter() : ProviderAdapter(
    BuiltInProviders.Vllm,
    ApiStyle.OpenAI,
    new ProviderRoute("/api/providers/vllm/{**path}", ProviderRoute.ReadWrite),
    RequestFields.OpenAI,
    ["v1/chat/completions", "v1/completions", "v1/embeddings", "v1/models"])
{
    private const string UrlParameter = "url";

    public override bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt) => IsCompletionPath(attempt.Path);

    protected override string? BaseUrl(ProviderSetting setting) => setting.Parameters.GetValueOrDefault(UrlParameter);
}
