using System.Net.Http.Headers;
using Gateway.Domain.Providers;
using Gateway.Functions.Forwarding;
using Gateway.Functions.Pipeline;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Providers;

/// <summary>
/// Azure OpenAI at <c>/api/providers/azure/openai/deployments/{deploymentId}/*</c>: the resource
/// comes from the setting's <c>resourceName</c>, the credential goes in <c>api-key</c>, and the
/// deployment is the model when the body names none.
/// </summary>
internal sealed class AzureOpenAiAdapter(IOptions<UpstreamOptions> upstreams) : ProviderAdapter(
    BuiltInProviders.Azure,
    ApiStyle.OpenAI,
    new ProviderRoute("/api/providers/azure/openai/deployments/{deploymentId}/{**path}", ProviderRoute.ReadWrite),
    RequestFields.OpenAI,
    ["chat/completions", "completions", "embeddings", "images", "audio"])
{
    private const string ResourceNameParameter = "resourceName";

    // Azure accepts stream_options only from api-version 2024-09-01; older versions reject unknown fields.
    private const string FirstVersionWithStreamOptions = "2024-09-01";

    public override void ApplyCredential(HttpRequestHeaders headers, IReadOnlyDictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(secrets);
        headers.TryAddWithoutValidation("api-key", secrets.GetValueOrDefault(ProviderCredentials.ApiKey));
    }

    public override string? DefaultModel(ProxyContext context) => context.DeploymentId;

    public override bool CanForceUsageChunk(ProxyContext context, UpstreamAttempt attempt)
        => IsCompletionPath(attempt.Path)
            && string.CompareOrdinal(ApiVersion(context, attempt), FirstVersionWithStreamOptions) >= 0;

    private static string ApiVersion(ProxyContext context, UpstreamAttempt attempt)
        => attempt.Query is { } query
            ? Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)["api-version"].ToString()
            : context.Http.Request.Query["api-version"].ToString();

    protected override string? BaseUrl(ProviderSetting setting)
        => setting.Parameters.TryGetValue(ResourceNameParameter, out var resource) && !string.IsNullOrWhiteSpace(resource)
            ? upstreams.Value.Azure.BaseUrl.Replace("{resourceName}", resource, StringComparison.Ordinal)
            : null;

    protected override string UpstreamPath(UpstreamAttempt attempt)
        => string.Concat("openai/deployments/", Uri.EscapeDataString(attempt.DeploymentId ?? string.Empty), "/", attempt.Path);
}
