using Gateway.Domain.Providers;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Providers;

/// <summary>OpenAI at <c>/api/providers/openai/*</c>, forwarded to <c>Providers__OpenAI__BaseUrl</c>.</summary>
internal sealed class OpenAiAdapter(IOptions<UpstreamOptions> upstreams) : ProviderAdapter(
    BuiltInProviders.OpenAi,
    ApiStyle.OpenAI,
    new ProviderRoute("/api/providers/openai/{**path}", ProviderRoute.AllMethods),
    RequestFields.OpenAI,
    [
        "v1/chat/completions", "v1/completions", "v1/embeddings", "v1/moderations", "v1/models", "v1/files", "v1/batches",
        "v1/images", "v1/audio", "v1/assistants", "v1/threads", "v1/vector_stores", "v1/responses", "v1/uploads",
        "v1/fine_tuning", "v1/conversations",
    ])
{
    public override bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt) => IsCompletionPath(attempt.Path);

    protected override string? BaseUrl(ProviderSetting setting) => upstreams.Value.OpenAI.BaseUrl;
}
