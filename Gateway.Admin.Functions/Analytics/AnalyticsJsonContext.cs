using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Admin.Functions.Analytics;

/// <summary>
/// Source-generated JSON for the analytics endpoints. Web defaults (camelCase, case-insensitive
/// reads, like Go's decoder) but strict numbers: <c>"start":"1"</c> is a wrong type, not a number.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(ReportingRequest))]
[JsonSerializable(typeof(TopKeysRequest))]
[JsonSerializable(typeof(EventSearchRequest))]
[JsonSerializable(typeof(EventBody))]
[JsonSerializable(typeof(List<EventBody>))]
[JsonSerializable(typeof(ReportingResponse))]
[JsonSerializable(typeof(TopKeysResponse))]
[JsonSerializable(typeof(KeySpend))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class AnalyticsJsonContext : JsonSerializerContext;
