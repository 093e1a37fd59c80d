using System.Text.Json.Serialization;

namespace Gateway.Admin.Functions.CustomProviders;

/// <summary>Body of <c>POST /api/custom/providers</c>.</summary>
internal sealed class CreateCustomProviderRequest
{
    /// <summary>The name in <c>/api/custom/providers/{provider}/...</c>; stored lower-case.</summary>
    [JsonPropertyName("provider")]
    public string? Provider { get; set; }

    [JsonPropertyName("route_configs")]
    public List<RouteConfigItem?>? RouteConfigs { get; set; }

    /// <summary>The setting parameter that holds the credential (sent upstream as a Bearer token).</summary>
    [JsonPropertyName("authentication_param")]
    public string? AuthenticationParam { get; set; }
}
