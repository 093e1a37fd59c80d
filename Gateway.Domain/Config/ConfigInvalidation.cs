namespace Gateway.Domain.Config;

/// <summary>Published on the config channel after every change of the Redis config cache.</summary>
public sealed record ConfigInvalidation(long Version, ConfigEntityKind? Kind = null, string? Id = null, string? Generation = null);
