using System.Text;
using Gateway.Domain.Usage;

namespace Gateway.Domain.Tests.Telemetry;

/// <summary>The response's model (<c>gen_ai.response.model</c>) as the usage tap reads it, split across chunks.</summary>
public sealed class JsonUsageTapModelTests
{
    [Fact]
    public void Append_OpenAiResponseInTwoChunks_ReadsTopLevelModelNotNestedOnes()
    {
        var json = Encoding.UTF8.GetBytes("""{"id":"x","object":"chat.completion","model":"gpt-4o-2024-08-06","choices":[{"message":{"role":"assistant","content":"hi","model":"nested"}}],"usage":{"prompt_tokens":3,"completion_tokens":1}}""");
        var tap = new JsonUsageTap();

        tap.Append(json.AsSpan(0, 45), isFinal: false);
        tap.Append(json.AsSpan(45), isFinal: true);

        Assert.Equal("gpt-4o-2024-08-06", tap.Model);
        Assert.Equal(3, tap.UsageNumbers["prompt_tokens"]);
    }

    [Fact]
    public void Append_AnthropicMessageStart_ReadsMessageModelAndKeepsItAcrossReset()
    {
        var tap = new JsonUsageTap();

        tap.Append("""{"type":"message_start","message":{"id":"msg_1","model":"claude-3-5-sonnet-20241022","usage":{"input_tokens":5}}}"""u8, isFinal: true);
        tap.Reset();
        tap.Append("""{"type":"content_block_delta","delta":{"type":"text_delta","text":"hello"}}"""u8, isFinal: true);

        Assert.Equal("claude-3-5-sonnet-20241022", tap.Model);
    }
}
