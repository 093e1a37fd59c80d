using System.ComponentModel.DataAnnotations;
using Gateway.Domain.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Caching;

/// <summary>
/// The response cache: <c>Cache__DefaultTtl</c>, <c>Cache__MaxEntryBytes</c>, <c>Cache__RedisTimeout</c>,
/// and optionally <c>ConnectionStrings__RedisCache</c> (a Redis of its own for entries).
/// </summary>
public sealed class ResponseCacheOptions
{
    public const string Section = "Cache";

    /// <summary>How long an entry lives when neither the key nor the route says (one week).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00", ErrorMessage = "The setting Cache__DefaultTtl must be between 1 second and 365 days.")]
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromDays(7);

    /// <summary>The largest answer kept (bytes as delivered); a larger one is not cached.</summary>
    [Range(1024, 64 << 20, ErrorMessage = "The setting Cache__MaxEntryBytes must be between 1024 and 67108864.")]
    public int MaxEntryBytes { get; set; } = 1 << 20;

    /// <summary>How long a lookup or a store may take before it counts as a failure (a miss).</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:00:10", ErrorMessage = "The setting Cache__RedisTimeout must be between 1 ms and 10 s.")]
    public TimeSpan RedisTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A Redis for the entries alone (<c>ConnectionStrings__RedisCache</c>), so that it can run with
    /// <c>maxmemory-policy allkeys-lru</c>; empty = the gateway's Redis.
    /// </summary>
    [SettingName("ConnectionStrings__RedisCache")]
    public string ConnectionString { get; set; } = string.Empty;
}

[OptionsValidator]
internal sealed partial class ResponseCacheOptionsValidator : IValidateOptions<ResponseCacheOptions>;
