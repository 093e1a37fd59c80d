using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// Upstream base URLs per provider (<c>Providers__OpenAI__BaseUrl</c>, ...): for tests, sovereign
/// clouds and egress proxies. A provider setting's <c>baseUrl</c> parameter overrides them.
/// </summary>
internal sealed class UpstreamOptions
{
    public const string Section = "Providers";

    [Required, ValidateObjectMembers]
    public ProviderEndpoint OpenAI { get; set; } = new() { BaseUrl = "https://api.openai.com" };

    /// <summary><c>{resourceName}</c> is replaced with the setting's <c>resourceName</c>.</summary>
    [Required, ValidateObjectMembers]
    public ProviderEndpoint Azure { get; set; } = new() { BaseUrl = "https://{resourceName}.openai.azure.com" };

    [Required, ValidateObjectMembers]
    public ProviderEndpoint Anthropic { get; set; } = new() { BaseUrl = "https://api.anthropic.com" };

    /// <summary>The Bedrock runtime API; <c>{region}</c> is replaced with the setting's <c>awsRegion</c>.</summary>
    [Required, ValidateObjectMembers]
    public ProviderEndpoint Bedrock { get; set; } = new() { BaseUrl = "https://bedrock-runtime.{region}.amazonaws.com" };

    /// <summary>DeepInfra's OpenAI-compatible API; the client's <c>v1/</c> path prefix is replaced by it.</summary>
    [Required, ValidateObjectMembers]
    public ProviderEndpoint DeepInfra { get; set; } = new() { BaseUrl = "https://api.deepinfra.com/v1/openai" };
}

internal sealed class ProviderEndpoint
{
    [Required(ErrorMessage = "Every Providers__<Name>__BaseUrl setting needs a value.")]
    [Url(ErrorMessage = "Providers__<Name>__BaseUrl must be an absolute http(s) URL.")]
    public string BaseUrl { get; set; } = string.Empty;
}

[OptionsValidator]
internal sealed partial class UpstreamOptionsValidator : IValidateOptions<UpstreamOptions>;
