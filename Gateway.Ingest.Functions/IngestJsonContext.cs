using System.Text.Json.Serialization;

namespace Gateway.Ingest.Functions;

[JsonSerializable(typeof(long))]
internal sealed partial class IngestJsonContext : JsonSerializerContext;
