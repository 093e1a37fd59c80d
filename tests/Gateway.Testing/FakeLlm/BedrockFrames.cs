using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.Runtime.EventStreams;

namespace Gateway.Testing.FakeLlm;

/// <summary>
/// Bedrock's <c>application/vnd.amazon.eventstream</c> messages, encoded by AWSSDK.Core
/// (<see cref="EventStreamMessage"/>: prelude with total and headers length and its CRC-32, string
/// headers, payload, message CRC-32), for the fake and for decoder tests.
/// </summary>
public static class BedrockFrames
{
    /// <summary>One frame: <c>:message-type</c> (<c>event</c> or <c>exception</c>), the type header, <c>:content-type: application/json</c>.</summary>
    public static byte[] Frame(string messageType, string typeHeader, string typeValue, byte[] payload)
    {
        var headers = new List<IEventStreamHeader>
        {
            StringHeader(typeHeader, typeValue),
            StringHeader(":content-type", "application/json"),
            StringHeader(":message-type", messageType),
        };
        return new EventStreamMessage(headers, payload).ToByteArray();
    }

    /// <summary>A <c>chunk</c> event: payload <c>{"bytes":"&lt;base64 of <paramref name="json"/>&gt;"}</c>.</summary>
    public static byte[] Chunk(ReadOnlySpan<byte> json)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["bytes"] = Convert.ToBase64String(json) });
        return Frame("event", ":event-type", "chunk", payload);
    }

    /// <summary>An exception event (<c>throttlingException</c>, <c>modelStreamErrorException</c>, ...) with <c>{"message"}</c>.</summary>
    public static byte[] Exception(string exceptionType, string message)
        => Frame("exception", ":exception-type", exceptionType, JsonSerializer.SerializeToUtf8Bytes(new JsonObject { ["message"] = message }));

    private static EventStreamHeader StringHeader(string name, string value)
    {
        var header = new EventStreamHeader(name);
        header.SetString(value);
        return header;
    }
}
