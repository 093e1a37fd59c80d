using System.Text.Json;

namespace Gateway.Domain.Usage.Transport;

/// <summary>
/// One queue message carrying many usage events (schema version 2):
/// <c>{"schemaVersion":2,"batchId":"…","events":[{…UsageEventMessage…}, …]}</c>, UTF-8 JSON in the
/// queue's encoding (Base64 for Storage queues). Each element is a complete
/// <see cref="UsageEventMessage"/> (an oversized one is its claim-check form), decoded on its own so
/// that one bad element never blocks the others. A message without <c>events</c> is a version-1
/// single event, still accepted while such messages may be in flight.
/// </summary>
public sealed class UsageBatchEnvelope
{
    public const int CurrentSchemaVersion = 2;

    public int SchemaVersion { get; set; } = CurrentSchemaVersion;

    /// <summary>Unique per message (a UUIDv7); Service Bus's <c>MessageId</c> for duplicate detection.</summary>
    public required string BatchId { get; set; }

    /// <summary>The events, each kept as raw JSON so a malformed one can be isolated.</summary>
    public List<JsonElement> Events { get; set; } = [];
}
