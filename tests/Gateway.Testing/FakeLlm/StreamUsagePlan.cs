using System.Text.Json.Nodes;

namespace Gateway.Testing.FakeLlm;

/// <summary>Where an OpenAI/Azure stream puts usage, from the request and <see cref="FakeLlmStreamUsage"/>.</summary>
/// <param name="FinalChunk">Send the <c>"choices": []</c> usage chunk before <c>[DONE]</c>.</param>
/// <param name="NullOnOtherChunks">Every other chunk carries <c>"usage": null</c>, as OpenAI does when usage was requested.</param>
internal readonly record struct StreamUsagePlan(bool FinalChunk, bool NullOnOtherChunks)
{
    public static StreamUsagePlan For(FakeLlmExchange x, JsonObject request)
    {
        var requested = FakeJson.Bool((request["stream_options"] as JsonObject)?["include_usage"]);
        return x.Settings.StreamUsage switch
        {
            FakeLlmStreamUsage.FinalEventOnly => new StreamUsagePlan(FinalChunk: true, NullOnOtherChunks: false),
            FakeLlmStreamUsage.None => new StreamUsagePlan(FinalChunk: false, NullOnOtherChunks: false),
            _ => new StreamUsagePlan(FinalChunk: requested, NullOnOtherChunks: requested),
        };
    }
}
