namespace Gateway.Admin.Functions.ProviderSettings;

/// <summary>Body of <c>PATCH /api/provider-settings/{id}</c>: <c>setting</c> is merged into the stored parameters.</summary>
internal sealed class UpdateProviderSettingRequest
{
    public Dictionary<string, string?>? Setting { get; set; }

    public string? Name { get; set; }

    public List<string?>? AllowedModels { get; set; }

    public CostMapItem? CostMap { get; set; }
}
