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

    public static ProviderSettingResponse From(ProviderSetting setting, Dictionary<string, string>? secrets)
    {
        ArgumentNullException.ThrowIfNull(setting);
        var shown = new SortedDictionary<string, string>(setting.Parameters, StringComparer.Ordinal);
        foreach (var (name, value) in secrets ?? [])
        {
            shown[name] = Mask(value);
        }

        return new ProviderSettingResponse
        {
            Id = setting.Id,
            CreatedAt = setting.CreatedAt,
            UpdatedAt = setting.UpdatedAt,
            Provider = setting.Provider,
            Name = setting.Name,
            AllowedModels = setting.AllowedModels,
            CostMap = setting.CostMap,
            Setting = shown,
        };
    }

    /// <summary>Enough to tell two keys apart, never enough to use one.</summary>
    internal static string Mask(string secret) => secret.Length >= 12 ? "****" + secret[^4..] : "****";
}
