using System.ComponentModel.DataAnnotations;
using Gateway.Domain.Hosting;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Telemetry;

/// <summary>Traces, metrics and logs: the <c>Telemetry__*</c> settings and the exporters' standard variables.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    /// <summary>Off: no OpenTelemetry SDK at all (the benchmark's baseline); the meters still exist, unobserved.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Spans (server, HTTP client, PostgreSQL, Redis, the proxy's upstream call). Off, metrics and logs
    /// remain, and the trace id is still continued from <c>traceparent</c> and returned (ASP.NET Core's own activity).
    /// </summary>
    public bool Traces { get; set; } = true;

    /// <summary>
    /// BricksLLM's <c>-p strict</c>: no prompt or completion text in any span, metric or log. Off, the
    /// upstream span carries <c>gen_ai.input.messages</c> / <c>gen_ai.output.messages</c> (the GenAI
    /// conventions' opt-in content capture).
    /// </summary>
    public bool PrivacyMode { get; set; } = true;

    /// <summary>Adds <c>gateway.key.id</c> to the proxy's metrics and spans (bounded by <see cref="MaxAttributeValues"/>).</summary>
    public bool KeyAttributes { get; set; }

    /// <summary>Adds <c>gateway.key.tags</c> (the key's tags, sorted, comma-joined) likewise.</summary>
    public bool TagAttributes { get; set; }

    /// <summary>
    /// Distinct values a client-chosen metric attribute (key id, tags, model names) may take in one
    /// process; later values are recorded as <c>_other</c>, so a metric's series stay bounded.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxAttributeValues { get; set; } = 200;

    public PrometheusTelemetryOptions Prometheus { get; set; } = new();

    /// <summary>The OTLP collector; set, traces, metrics and logs are exported there (the exporter reads the other <c>OTEL_*</c> variables itself).</summary>
    [SettingName("OTEL_EXPORTER_OTLP_ENDPOINT")]
    public string? OtlpEndpoint { get; set; }

    /// <summary>Application Insights (set by the Bicep); set, traces, metrics and logs go to Azure Monitor.</summary>
    [SettingName("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    public string? AzureMonitorConnectionString { get; set; }
}

/// <summary><c>GET /api/metrics</c> in the Prometheus text format.</summary>
public sealed class PrometheusTelemetryOptions
{
    public bool Enabled { get; set; }

    /// <summary>When set, a scrape must send <c>Authorization: Bearer {Token}</c>.</summary>
    public string? Token { get; set; }
}

[OptionsValidator]
internal sealed partial class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>;
