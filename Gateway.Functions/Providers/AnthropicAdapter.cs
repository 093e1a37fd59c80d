using System.Net.Http.Headers;
using Gateway.Domain.Providers;
using Gateway.Functions.Forwarding;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Providers;

/// <summary>
/// Anthropic at <c>/api/providers/anthropic/*</c>: credential in <c>x-api-key</c>, errors in
/// Anthropic's shape, usage in <c>message_start</c> / <c>message_delta</c> (never forced: always sent).
/// </summary>
internal sealed class AnthropicAdapter(IOptions<UpstreamOptions> upstreams) : ProviderAdapter(
    BuiltInProviders.Anthropic,
    ApiStyle.Anthropic,
    new ProviderRoute("/api/providers/anthropic/{**path}", ProviderRoute.ReadWrite),
    RequestFields.Anthropic,
    ["v1/messages", "v1/complete", "v1/models"])
{
    public override void ApplyCredential(HttpRequestHeaders headers, IReadOnlyDictionary<string, string> secrets)
    {
        ArgumentNullException.ThrowIfNull(headers);
        ArgumentNullException.ThrowIfNull(secrets);
        headers.TryAddWithoutValidation("x-api-key", secrets.GetValueOrDefault(ProviderCredentials.ApiKey));
    }

    protected override string? BaseUrl(ProviderSetting setting) => upstreams.Value.Anthropic.BaseUrl;
}
