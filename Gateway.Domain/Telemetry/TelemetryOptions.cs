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

    /// <summary>Spans: on or off, how many traces are recorded, and the optional instrumentations.</summary>
    [ValidateObjectMembers]
    public TracesTelemetryOptions Traces { get; set; } = new();

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

/// <summary><c>Telemetry__Traces__*</c>: the spans.</summary>
public sealed class TracesTelemetryOptions
{
    /// <summary>
    /// Spans (server, PostgreSQL, the proxy's upstream call, and the opt-in ones below). Off, metrics and logs
    /// remain, and the trace id is still continued from <c>traceparent</c> and returned (ASP.NET Core's own activity).
    /// </summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The share of new traces recorded (head sampling by trace id, 0 to 1). Parent-based: a request
    /// whose <c>traceparent</c> says sampled is always recorded, one that says not sampled never is.
    /// Unrecorded requests still carry a trace id (logs, the response header, the upstream's
    /// <c>traceparent</c>); metrics count every request whatever the ratio.
    /// </summary>
    [Range(0.0, 1.0)]
    public double SampleRatio { get; set; } = DefaultSampleRatio;

    /// <summary>A span per Redis command (StackExchange.Redis instrumentation): opt-in, it profiles every command of every request.</summary>
    public bool Redis { get; set; }

    /// <summary>
    /// A span per outgoing HTTP request (in the proxy: one per attempt, under the GenAI upstream span).
    /// Opt-in: the upstream span already covers the call, and the provider still receives a
    /// <c>traceparent</c> (the upstream span's) without it.
    /// </summary>
    public bool HttpClient { get; set; }

    public const double DefaultSampleRatio = 0.1;
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
