using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Keys;

/// <summary>
/// How the proxy looks up a key its config copy does not hold yet: <c>KeyLookup__NegativeCacheTtl</c>,
/// <c>KeyLookup__MaxConcurrentLookups</c>.
/// </summary>
public sealed class KeyLookupOptions
{
    public const string Section = "KeyLookup";

    /// <summary>How long "no such key in Redis" is remembered, so that a client retrying a wrong key costs one Redis lookup, not one per request.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00", ErrorMessage = "The setting KeyLookup__NegativeCacheTtl must be between 0 and 1 minute.")]
    public TimeSpan NegativeCacheTtl { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Redis lookups in flight at once per instance; requests for more unknown keys wait briefly, then get 401.</summary>
    [Range(1, 256, ErrorMessage = "The setting KeyLookup__MaxConcurrentLookups must be between 1 and 256.")]
    public int MaxConcurrentLookups { get; set; } = 4;
}

[OptionsValidator]
internal sealed partial class KeyLookupOptionsValidator : IValidateOptions<KeyLookupOptions>;
