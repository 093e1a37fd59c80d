using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Config;

/// <summary>How the proxy keeps its in-memory config copy fresh: <c>ConfigCache__VersionCheckInterval</c>.</summary>
public sealed class ConfigCacheOptions
{
    public const string Section = "ConfigCache";

    /// <summary>
    /// How often the proxy compares its copy's version with Redis's, catching invalidations it
    /// missed (e.g. while disconnected). Pub/sub makes changes visible sooner.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00", ErrorMessage = "The setting ConfigCache__VersionCheckInterval must be between 50 ms and 1 hour.")]
    public TimeSpan VersionCheckInterval { get; set; } = TimeSpan.FromSeconds(5);
}

[OptionsValidator]
internal sealed partial class ConfigCacheOptionsValidator : IValidateOptions<ConfigCacheOptions>;
