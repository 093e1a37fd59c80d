using System.Text.Json.Serialization;

namespace Gateway.Domain.Caching;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CachedResponse))]
internal sealed partial class CachingJsonContext : JsonSerializerContext;
