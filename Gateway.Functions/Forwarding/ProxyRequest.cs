using Gateway.Domain.Keys;
using Gateway.Domain.Providers;

namespace Gateway.Functions.Forwarding;

/// <summary>One proxied request as the pipeline sees it after authentication.</summary>
internal sealed class ProxyRequest
{
    public required ProviderApi Api { get; init; }

    /// <summary>The path below the provider's prefix, e.g. <c>v1/chat/completions</c>.</summary>
    public required string Path { get; init; }

    public string? DeploymentId { get; init; }

    public required ApiKey Key { get; init; }

    public JsonRequestBody? JsonBody { get; set; }

    public string? Model { get; set; }

    public List<ProviderSetting> Settings { get; set; } = [];
}
