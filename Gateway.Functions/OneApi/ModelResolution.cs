using Gateway.Domain.Providers;
using Gateway.Functions.Providers;

namespace Gateway.Functions.OneApi;

/// <summary>The provider a one-API model resolved to: its adapter, the key's settings of it, and the model name that provider knows.</summary>
internal sealed record ModelResolution(IProviderAdapter Target, IReadOnlyList<ProviderSetting> Settings, string UpstreamModel, string How);
