using System.Text.Json.Serialization;
using Gateway.Domain.Providers;

namespace Gateway.Admin.Functions.CustomProviders;

/// <summary>A custom provider, in BricksLLM's snake_case.</summary>
internal sealed class CustomProviderResponse
{
    [JsonPropertyName("id")]
    public required string Id { get; init; }

    [JsonPropertyName("created_at")]
    public long CreatedAt { get; init; }

    [JsonPropertyName("updated_at")]
    public long UpdatedAt { get; init; }

    [JsonPropertyName("provider")]
    public required string Provider { get; init; }

    [JsonPropertyName("route_configs")]
    public required List<CustomRouteConfig> RouteConfigs { get; init; }

    [JsonPropertyName("authentication_param")]
    public required string AuthenticationParam { get; init; }

    public static CustomProviderResponse From(CustomProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        return new CustomProviderResponse
        {
            Id = provider.Id,
            CreatedAt = provider.CreatedAt,
            UpdatedAt = provider.UpdatedAt,
            Provider = provider.Provider,
            RouteConfigs = provider.RouteConfigs,
            AuthenticationParam = provider.AuthenticationParam ?? string.Empty,
        };
    }
}
