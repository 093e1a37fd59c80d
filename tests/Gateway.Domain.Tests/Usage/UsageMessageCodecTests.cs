using System.Text;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Transport;

namespace Gateway.Domain.Tests.Usage;

public sealed class UsageMessageCodecTests
{
    [Fact]
    public void Serialize_Message_IsVersionedCamelCaseJson()
    {
        var message = new UsageEventMessage { EventId = "e1", KeyId = "k1", Model = "gpt-4o", Usage = new TokenUsage { PromptTokens = 3 } };
        var json = Encoding.UTF8.GetString(UsageMessageCodec.Serialize(message));

        Assert.Contains("\"schemaVersion\":1", json);
        Assert.Contains("\"eventId\":\"e1\"", json);
        Assert.Contains("\"promptTokens\":3", json);
        Assert.DoesNotContain("claimCheck", json);
        Assert.DoesNotContain("null", json);
    }

    [Fact]
    public void Serialize_NonAsciiText_StaysUtf8SoSizesAreTextSizes()
    {
        var message = new UsageEventMessage { EventId = "e1", CompletionText = "héllo wörld ✓ \"quoted\"" };
        var json = Encoding.UTF8.GetString(UsageMessageCodec.Serialize(message));
        Assert.Contains("héllo wörld ✓", json);
    }

    [Fact]
    public void TryParse_RoundTrip_KeepsEveryField()
    {
        var message = new UsageEventMessage
        {
            EventId = Guid.CreateVersion7().ToString(),
            CreatedAtUnixMs = 1_700_000_000_123,
            KeyId = "key",
            Tags = ["a", "b"],
            Provider = "openai",
            SettingId = "setting",
            Model = "gpt-4o",
            DeploymentId = "dep",
            Path = "/api/providers/openai/v1/chat/completions",
            Method = "POST",
            Status = 200,
            LatencyMs = 42,
            CustomId = "custom",
            Metadata = """{"team":"x"}""",
            UserId = "user-1",
            RouteId = "route",
            CorrelationId = "corr",
            Action = "allowed",
            Streamed = true,
            ClientDisconnected = true,
            Usage = new TokenUsage { PromptTokens = 1, CompletionTokens = 2, CachedPromptTokens = 3, ReasoningTokens = 4, CacheCreationInputTokens = 5, CacheReadInputTokens = 6 },
            PromptText = "p",
            CompletionText = "c",
            AudioSeconds = 1.5,
            SpeechCharacters = 7,
            RequestBody = "{}",
            ResponseBody = "data: x",
        };

        var parsed = UsageMessageCodec.TryParse(UsageMessageCodec.Serialize(message), out var error);

        Assert.Null(error);
        Assert.Equal(Encoding.UTF8.GetString(UsageMessageCodec.Serialize(message)), Encoding.UTF8.GetString(UsageMessageCodec.Serialize(parsed!)));
    }

    [Fact]
    public void TryParse_PascalCase_IsAccepted()
    {
        var parsed = UsageMessageCodec.TryParse("""{"SchemaVersion":1,"EventId":"e1","KeyId":"k"}""", out var error);
        Assert.Null(error);
        Assert.Equal("k", parsed!.KeyId);
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("null")]
    [InlineData("""{"schemaVersion":1}""")]
    [InlineData("""{"schemaVersion":1,"eventId":""}""")]
    [InlineData("""{"schemaVersion":2,"eventId":"e1"}""")]
    [InlineData("""{"schemaVersion":0,"eventId":"e1"}""")]
    [InlineData("""{"schemaVersion":1,"eventId":"e1","status":"two hundred"}""")]
    [InlineData("""{"schemaVersion":1,"eventId":"e1","claimCheck":{"container":"","blob":"e1"}}""")]
    public void TryParse_Malformed_SaysWhy(string json)
    {
        Assert.Null(UsageMessageCodec.TryParse(json, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void TryParse_EventIdLongerThanTheColumn_IsMalformed()
    {
        Assert.Null(UsageMessageCodec.TryParse($$"""{"eventId":"{{new string('x', 65)}}"}""", out var error));
        Assert.Contains("eventId", error);
    }

    [Fact]
    public void StorageQueueThreshold_Base64_FitsIn64KiB()
        => Assert.True(Convert.ToBase64String(new byte[UsageMessageCodec.StorageQueueMaxBodyBytes]).Length <= 64 * 1024);

    [Fact]
    public void StorageQueueCompressedBudget_Base64String_StaysOffTheLargeObjectHeap()
    {
        // The Storage SDK holds each message as a Base64 string (UTF-16); 85,000 bytes and more go to the LOH.
        var base64 = Convert.ToBase64String(new byte[UsageMessageCodec.StorageQueueMaxCompressedBodyBytes]);
        Assert.True(base64.Length * sizeof(char) + 32 < 85_000, $"{base64.Length} chars");
        Assert.True(UsageMessageCodec.StorageQueueMaxCompressedBodyBytes < UsageMessageCodec.StorageQueueMaxBodyBytes);
    }

    [Fact]
    public void ClaimCheckEnvelope_CarriesOnlyIdentityAndReference()
    {
        var message = new UsageEventMessage { EventId = "e1", KeyId = "k", CreatedAtUnixMs = 5, PromptText = new string('x', 100_000), Tags = ["t"], Metadata = "{}" };
        var envelope = UsageMessageCodec.ClaimCheckEnvelope(message, new UsageClaimCheck { Container = "usage-claims", Blob = "e1", Length = 123 });
        var json = UsageMessageCodec.Serialize(envelope);

        Assert.True(json.Length < 300, $"envelope is {json.Length} bytes");
        var parsed = UsageMessageCodec.TryParse(json, out _)!;
        Assert.Equal("e1", parsed.EventId);
        Assert.Equal("usage-claims", parsed.ClaimCheck!.Container);
        Assert.Null(parsed.PromptText);
    }
}
