using System.Text;
using System.Text.Json.Nodes;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Transport;

namespace Gateway.Usage.Benchmarks;

/// <summary>A schema-2 batch message built with System.Text.Json, as the publisher's encoder writes it.</summary>
internal static class BatchMessage
{
    public static byte[] Encode(IEnumerable<UsageEventMessage> events)
    {
        var array = new JsonArray();
        foreach (var message in events)
        {
            array.Add(JsonNode.Parse(UsageMessageCodec.Serialize(message)));
        }

        var batch = new JsonObject { ["schemaVersion"] = UsageBatchEnvelope.CurrentSchemaVersion, ["batchId"] = Guid.CreateVersion7().ToString(), ["events"] = array };
        return Encoding.UTF8.GetBytes(batch.ToJsonString());
    }
}
