using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Domain.Config;
using Gateway.Domain.Keys;
using Gateway.Domain.Privacy;
using Gateway.Domain.Providers;
using Gateway.Domain.Routing;
using Gateway.Domain.Users;

namespace Gateway.Domain.Json;

/// <summary>Source-generated JSON for everything the domain stores as JSON (jsonb columns, Redis config cache).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ApiKey))]
[JsonSerializable(typeof(ProviderSetting))]
[JsonSerializable(typeof(CustomProvider))]
[JsonSerializable(typeof(Route))]
[JsonSerializable(typeof(User))]
[JsonSerializable(typeof(List<AllowedPath>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(CostMap))]
[JsonSerializable(typeof(List<CustomRouteConfig>))]
[JsonSerializable(typeof(RouteCacheConfig))]
[JsonSerializable(typeof(List<RouteStep>))]
[JsonSerializable(typeof(ConfigInvalidation))]
[JsonSerializable(typeof(Policy))]
[JsonSerializable(typeof(PolicyConfig))]
[JsonSerializable(typeof(PolicyRuleSet))]
public sealed partial class DomainJsonContext : JsonSerializerContext;
