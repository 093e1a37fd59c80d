using Gateway.Domain.Providers;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Providers;

/// <summary>DeepInfra's OpenAI-compatible API; its base URL already ends in <c>/v1/openai</c>, so the client's <c>v1/</c> is dropped.</summary>
internal sealed class DeepInfraAdapter(IOptions<UpstreamOptions> upstreams) : ProviderAdapter(
    BuiltInProviders.DeepInfra,
    ApiStyle.OpenAI,
    new ProviderRoute("/api/providers/deepinfra/{**path}", ProviderRoute.ReadWrite),
    RequestFields.OpenAI,
    ["v1/chat/completions", "v1/completions", "v1/embeddings"])
{
    public override bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt) => IsCompletionPath(attempt.Path);

    protected override string? BaseUrl(ProviderSetting setting) => upstreams.Value.DeepInfra.BaseUrl;

    protected override string UpstreamPath(UpstreamAttempt attempt)
        => attempt.Path.StartsWith("v1/", StringComparison.Ordinal) ? attempt.Path[3..] : attempt.Path;
}
