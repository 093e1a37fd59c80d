using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Gateway.Functions.Forwarding;

/// <summary>How the proxy forwards: <c>Proxy__Timeout</c>, <c>Proxy__MaxJsonBodyBytes</c>, <c>Proxy__MaxUploadBytes</c>, <c>Proxy__ConnectTimeout</c>.</summary>
internal sealed class ProxyOptions
{
    public const string Section = "Proxy";

    /// <summary>Whole-request upstream timeout (long streams need minutes); <c>x-request-timeout</c> overrides it per request.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00", ErrorMessage = "The setting Proxy__Timeout must be between 1 second and 1 day.")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(10);

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
