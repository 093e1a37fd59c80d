using System.Text;
using System.Text.Json.Nodes;
using Gateway.Functions.Providers;
using Gateway.Testing.FakeLlm;

namespace Gateway.Functions.Tests.Bedrock;

/// <summary>Bedrock's binary event stream → Anthropic SSE (<see cref="BedrockEventStream"/>), frames built by AWSSDK.Core's encoder.</summary>
public sealed class BedrockEventStreamTests
{
    private const string Start = """{"type":"message_start","message":{"id":"msg_1","usage":{"input_tokens":7,"output_tokens":1}}}""";
    private const string Delta = """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi \"there\"\n"}}""";
    private const string Stop = """{"type":"message_stop","amazon-bedrock-invocationMetrics":{"inputTokenCount":7,"outputTokenCount":2}}""";

    [Fact]
    public async Task Read_ChunkFrames_BecomeAnthropicEventsInOrder()
    {
        var sse = await DecodeAsync([Chunk(Start), Chunk(Delta), Chunk(Stop)], readSize: 1 << 16);

        Assert.Equal($"event: message_start\ndata: {Start}\n\nevent: content_block_delta\ndata: {Delta}\n\nevent: message_stop\ndata: {Stop}\n\n", sse);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(13)]
    [InlineData(100)]
    public async Task Read_FramesSplitAcrossReads_DecodeTheSame(int readSize)
    {
        var sse = await DecodeAsync([Chunk(Start), Chunk(Delta), Chunk(Stop)], readSize);

        Assert.Equal($"event: message_start\ndata: {Start}\n\nevent: content_block_delta\ndata: {Delta}\n\nevent: message_stop\ndata: {Stop}\n\n", sse);
    }

    [Fact]
    public async Task Read_BadMessageCrc_EndsWithOneErrorEvent()
    {
        var corrupt = Chunk(Delta);
        corrupt[^1] ^= 0x01;

        var sse = await DecodeAsync([Chunk(Start), corrupt, Chunk(Stop)], readSize: 64);

        var events = Events(sse);
        Assert.Equal(["message_start", "error"], events.Select(e => e.Name));
        Assert.Equal("api_error", (string?)events[1].Data["error"]!["type"]);
        Assert.Contains("Checksum", (string?)events[1].Data["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_BadPreludeCrc_EndsWithOneErrorEvent()
    {
        var corrupt = Chunk(Start);
        corrupt[9] ^= 0x10;

        var events = Events(await DecodeAsync([corrupt, Chunk(Stop)], readSize: 5));

        Assert.Equal("error", Assert.Single(events).Name);
    }

    [Fact]
    public async Task Read_ExceptionEvent_BecomesAnthropicErrorOfItsKind()
    {
        var exception = BedrockFrames.Exception("throttlingException", "Too many tokens");

        var events = Events(await DecodeAsync([Chunk(Start), exception, Chunk(Stop)], readSize: 1 << 16));

        Assert.Equal(["message_start", "error"], events.Select(e => e.Name));
        Assert.Equal("rate_limit_error", (string?)events[1].Data["error"]!["type"]);
        Assert.Equal("Too many tokens", (string?)events[1].Data["error"]!["message"]);
    }

    [Fact]
    public async Task Read_StreamCutMidFrame_EndsWithErrorEvent()
    {
        var whole = Chunk(Delta);

        var events = Events(await DecodeAsync([Chunk(Start), whole[..(whole.Length / 2)]], readSize: 1 << 16));

        Assert.Equal(["message_start", "error"], events.Select(e => e.Name));
        Assert.Contains("middle of a frame", (string?)events[1].Data["error"]!["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Read_ChunkWithoutBytes_EndsWithErrorEvent()
    {
        var events = Events(await DecodeAsync([Frame("event", ":event-type", "chunk", """{"other":1}""")], readSize: 1 << 16));

        Assert.Equal("error", Assert.Single(events).Name);
    }

    [Fact]
    public async Task Read_PrettyPrintedEventJson_IsSentOnOneDataLine()
    {
        var sse = await DecodeAsync([Chunk("{\n  \"type\": \"ping\"\n}")], readSize: 1 << 16);

        Assert.Equal("event: ping\ndata: {\"type\":\"ping\"}\n\n", sse);
    }

    [Fact]
    public async Task Read_LegacyCompletionChunk_IsNamedCompletion()
    {
        var sse = await DecodeAsync([Chunk("""{"completion":" Hi","stop_reason":null,"stop":null}""")], readSize: 1 << 16);

        Assert.StartsWith("event: completion\ndata: ", sse, StringComparison.Ordinal);
    }

    private static async Task<string> DecodeAsync(byte[][] frames, int readSize)
    {
        var upstream = new MemoryStream([.. frames.SelectMany(static f => f)]);
        await using var events = new BedrockEventStream(upstream);
        var output = new MemoryStream();
        var buffer = new byte[readSize];
        int read;
        while ((read = await events.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return Encoding.UTF8.GetString(output.ToArray());
    }

    private static List<(string Name, JsonNode Data)> Events(string sse)
    {
        var events = new List<(string, JsonNode)>();
        foreach (var block in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = block.Split('\n');
            events.Add((lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!));
        }

        return events;
    }

    private static byte[] Chunk(string json) => BedrockFrames.Chunk(Encoding.UTF8.GetBytes(json));

    private static byte[] Frame(string messageType, string typeHeader, string typeValue, string payload)
        => BedrockFrames.Frame(messageType, typeHeader, typeValue, Encoding.UTF8.GetBytes(payload));
}
