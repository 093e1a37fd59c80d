using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Admin.Functions.Policies;

/// <summary>Source-generated JSON of <c>/api/policies</c>, with the management API's conventions (camelCase, strict numbers).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(PolicyRequest))]
[JsonSerializable(typeof(PolicyResponse))]
[JsonSerializable(typeof(List<PolicyResponse>))]
internal sealed partial class PoliciesJsonContext : JsonSerializerContext;
