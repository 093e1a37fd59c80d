using System.Text.Json.Serialization;

namespace Gateway.Admin.Functions.CustomProviders;

/// <summary>Body of <c>PATCH /api/custom/providers/{id}</c>: given fields replace the stored ones.</summary>
internal sealed class UpdateCustomProviderRequest
{
    [JsonPropertyName("route_configs")]
    public List<RouteConfigItem?>? RouteConfigs { get; set; }

    /// <summary>An empty string removes it.</summary>
    [JsonPropertyName("authentication_param")]
    public string? AuthenticationParam { get; set; }
}
