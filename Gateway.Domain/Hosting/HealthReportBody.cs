using System.Text.Json.Serialization;

namespace Gateway.Domain.Hosting;

/// <summary>Body of <c>/api/health</c>: overall status and each dependency's.</summary>
internal sealed record HealthReportBody(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("app")] string App,
    [property: JsonPropertyName("checks")] Dictionary<string, string> Checks);

[JsonSerializable(typeof(HealthReportBody))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;
