using System.Text.Json.Serialization;

namespace Gateway.Ingest.Functions;

[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
