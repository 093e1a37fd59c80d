namespace Gateway.Domain.Providers;

/// <summary>
/// A provider credential and its parameters. Secret parameters (API keys) live only in
/// <see cref="EncryptedSecrets"/> (AES-GCM); <see cref="Parameters"/> holds the others
/// (<c>resourceName</c>, <c>url</c>, ...).
/// </summary>
public sealed class ProviderSetting
{
    public required string Id { get; set; }

    public string Name { get; set; } = string.Empty;

    public required string Provider { get; set; }

    public Dictionary<string, string> Parameters { get; set; } = [];

    public byte[]? EncryptedSecrets { get; set; }

    public List<string> AllowedModels { get; set; } = [];

    public CostMap? CostMap { get; set; }

    public long CreatedAt { get; set; }

    public long UpdatedAt { get; set; }
}
