using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Gateway.Functions.Pipeline;

[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ForwardingJsonContext : JsonSerializerContext;
