using System.Text.Json;
using System.Text.Json.Serialization;
using Gateway.Admin.Functions.CustomProviders;
using Gateway.Admin.Functions.EndUsers;
using Gateway.Admin.Functions.FailoverRoutes;
using Gateway.Admin.Functions.KeyManagement;
using Gateway.Admin.Functions.ProviderSettings;

namespace Gateway.Admin.Functions.Http;

/// <summary>
/// Source-generated JSON of the management API, with BricksLLM's field names: camelCase
/// (snake_case on custom providers, by attribute). Reads are case-insensitive like Go's decoder,
/// but numbers are strict: <c>"rateLimitOverTime":"2"</c> is a wrong type, as it was in BricksLLM.
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, NumberHandling = JsonNumberHandling.Strict)]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(UpdateKeyRequest))]
[JsonSerializable(typeof(KeySearchRequest))]
[JsonSerializable(typeof(KeyResponse))]
[JsonSerializable(typeof(List<KeyResponse>))]
[JsonSerializable(typeof(KeySearchResponse))]
[JsonSerializable(typeof(CreateProviderSettingRequest))]
[JsonSerializable(typeof(UpdateProviderSettingRequest))]
[JsonSerializable(typeof(ProviderSettingResponse))]
[JsonSerializable(typeof(List<ProviderSettingResponse>))]
[JsonSerializable(typeof(CreateCustomProviderRequest))]
[JsonSerializable(typeof(UpdateCustomProviderRequest))]
[JsonSerializable(typeof(CustomProviderResponse))]
[JsonSerializable(typeof(List<CustomProviderResponse>))]
[JsonSerializable(typeof(CreateRouteRequest))]
[JsonSerializable(typeof(RouteResponse))]
[JsonSerializable(typeof(List<RouteResponse>))]
[JsonSerializable(typeof(CreateUserRequest))]
[JsonSerializable(typeof(UpdateUserRequest))]
[JsonSerializable(typeof(UserResponse))]
[JsonSerializable(typeof(List<UserResponse>))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
