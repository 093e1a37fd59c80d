using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Domain.Usage.Costing;

/// <summary>Source-generated JSON of the price table: camelCase, comments and trailing commas allowed (it is hand-edited).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(PriceTableDocument))]
internal sealed partial class CostingJsonContext : JsonSerializerContext;
