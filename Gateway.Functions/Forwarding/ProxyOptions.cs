using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Forwarding;

/// <summary>
/// How the proxy forwards: <c>Proxy__Timeout</c>, <c>Proxy__IdleTimeout</c>, <c>Proxy__ConnectTimeout</c>,
/// <c>Proxy__MaxJsonBodyBytes</c>, <c>Proxy__MaxUploadBytes</c>, <c>Proxy__ShutdownGrace</c>.
/// </summary>
internal sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>
    /// Time until the upstream's response headers (a non-streamed completion arrives whole, so this
    /// needs minutes); <c>x-request-timeout</c> overrides it per request. A body that keeps
    /// arriving is bounded by <see cref="IdleTimeout"/> only, never by this.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "The setting Proxy__Timeout must be between 1 second and 1 day.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Longest silence between two reads of the upstream's body; a stalled stream is cut with an SSE error event.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "1.00:00:00", ErrorMessage = "The setting Proxy__IdleTimeout must be between 100 ms and 1 day.")]
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// On SIGTERM, how long in-flight requests may still run before they are cut (below the Functions
    /// host's and Kubernetes' 30 s). The host allows a few seconds more for the usage flush.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "The setting Proxy__ShutdownGrace must be between 0 and 10 minutes.")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(25);

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00", ErrorMessage = "The setting Proxy__ConnectTimeout must be between 100 ms and 10 minutes.")]
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>JSON request bodies are read whole (to find the model and user): this bounds them.</summary>
    [Range(1024, 1L << 32, ErrorMessage = "The setting Proxy__MaxJsonBodyBytes must be between 1 KiB and 4 GiB.")]
    public long MaxJsonBodyBytes { get; set; } = 32L << 20;

    /// <summary>Other bodies (multipart uploads, audio) are streamed through, up to this size.</summary>
    [Range(1024, 1L << 40, ErrorMessage = "The setting Proxy__MaxUploadBytes must be between 1 KiB and 1 TiB.")]
    public long MaxUploadBytes { get; set; } = 512L << 20;
}

[OptionsValidator]
internal sealed partial class ProxyOptionsValidator : IValidateOptions<ProxyOptions>;
