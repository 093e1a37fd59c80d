using System.Text.Json.Serialization;
using Gateway.Domain.Providers;

namespace Gateway.Admin.Functions.ProviderSettings;

/// <summary>
/// A provider setting. <c>setting</c> shows plain parameters as stored and credentials masked
/// to their last 4 characters (fully masked when shorter than 12): never a usable secret.
/// </summary>
internal sealed class ProviderSettingResponse
{
    public required string Id { get; init; }

    public long CreatedAt { get; init; }

    public long UpdatedAt { get; init; }

    public required string Provider { get; init; }

    public required string Name { get; init; }

    public required List<string> AllowedModels { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public CostMap? CostMap { get; init; }

    public required SortedDictionary<string, string> Setting { get; init; }
}
