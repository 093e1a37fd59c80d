namespace Gateway.Domain.Providers;

/// <summary>An admin-defined upstream reached at <c>/api/custom/providers/{provider}/...</c>.</summary>
public sealed class CustomProvider
{
    public required string Id { get; set; }

    /// <summary>The provider's name, unique; also the <c>provider</c> of its settings.</summary>
    public required string Provider { get; set; }

    /// <summary>The name of the setting parameter holding the credential.</summary>
    public string? AuthenticationParam { get; set; }

    public List<CustomRouteConfig> RouteConfigs { get; set; } = [];

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
