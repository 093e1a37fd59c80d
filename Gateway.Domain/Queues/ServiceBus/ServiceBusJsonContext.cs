using System.Text.Json.Serialization;

namespace Gateway.Domain.Queues.ServiceBus;

/// <summary>Source-generated JSON for the Service Bus REST wire shapes: PascalCase names as the service documents them.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNameCaseInsensitive = true)]
[JsonSerializable(typeof(ServiceBusBrokerProperties))]
[JsonSerializable(typeof(string))]
internal sealed partial class ServiceBusJsonContext : JsonSerializerContext;
