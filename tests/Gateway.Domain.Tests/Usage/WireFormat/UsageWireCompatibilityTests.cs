using System.Text;
using System.Text.Json;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Transport;
using Gateway.Testing;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Tests.Usage.WireFormat;

/// <summary>
/// The proxy writes events through the source generator's fast path into shared buffers; the bytes
/// must stay exactly those <see cref="UsageJsonContext.Queue"/> serializes (what ingest and deployed
/// functions read), one event at a time and packed into batch envelopes.
/// </summary>
public sealed class UsageWireCompatibilityTests
{
    // Text the relaxed encoder keeps as is and text it must escape: quotes, backslashes, controls, HTML, non-ASCII, lone surrogates.
    private static readonly string[] Texts =
    [
        "plain", "héllo wörld ✓ 😀 中文", "\"quoted\" \\ back\\slash", "line\nbreak\ttab\r\u0001\u001f\u007f", "<b>&amp;</b> 'single' +plus `tick`",
        "\u2028\u2029 separators", "lone \ud800 surrogate", string.Empty, "{\"team\":\"x\",\"n\":[1,2]}",
    ];

    public static TheoryData<int> TextIndexes() => [.. Enumerable.Range(0, Texts.Length)];

    [Theory]
    [MemberData(nameof(TextIndexes))]
    public void Serialize_EveryField_IsByteForByteTheQueueContextsJson(int text)
    {
        var message = Rich(text, Texts[text]);

        Assert.Equal(QueueContextJson(message), UsageMessageCodec.Serialize(message));
    }

    [Fact]
    public void Serialize_MinimalAndClaimCheckForms_AreByteForByteTheQueueContextsJson()
    {
        var minimal = new UsageEventMessage { EventId = "e1" };
        var claim = UsageMessageCodec.ClaimCheckEnvelope(Rich(0, "x"), new UsageClaimCheck { Container = "usage-claims", Blob = "e-0", Length = 123_456 });

        Assert.Equal(QueueContextJson(minimal), UsageMessageCodec.Serialize(minimal));
        Assert.Equal(QueueContextJson(claim), UsageMessageCodec.Serialize(claim));
    }

    [Fact]
    public async Task EncodeAsync_Batches_AreThePrefixTheQueueContextsEventsAndTheSuffix()
    {
        var events = Enumerable.Range(0, 60).Select(i => Rich(i, Texts[i % Texts.Length] + new string('y', i * 7))).ToList();
        var encoder = new UsageBatchEncoder(new UsageClaimCheckStore(new UsageQueueClients(Options.Create(new UsageTransportOptions { StorageConnectionString = UsageTransportOptions.DevelopmentStorage }), TimeProvider.System)));
        const int maxBytes = 8_000;

        var batches = await encoder.EncodeAsync(events, maxBytes, CancellationToken.None);

        AssertEnvelopes(events, batches, maxBytes, static body => body.ToArray());
    }

    [Fact]
    public async Task EncodeAsync_GzipBatches_InflateToThePrefixTheQueueContextsEventsAndTheSuffix()
    {
        var events = Enumerable.Range(0, 400).Select(i => Rich(i, Texts[i % Texts.Length] + new string('y', i % 50))).ToList();
        var encoder = new UsageBatchEncoder(new UsageClaimCheckStore(new UsageQueueClients(Options.Create(new UsageTransportOptions { StorageConnectionString = UsageTransportOptions.DevelopmentStorage }), TimeProvider.System)), UsageCompression.Gzip);
        const int maxBytes = 8_000;

        var batches = await encoder.EncodeAsync(events, maxBytes, CancellationToken.None);

        Assert.All(batches, b => Assert.Equal([0x1f, 0x8b], b.Body[..2].ToArray()));
        AssertEnvelopes(events, batches, maxBytes, GzipBytes.Inflate);
    }

    // Each batch's JSON (the body, or what it inflates to) is the prefix, the events in order as the Queue context writes them, and the suffix.
    private static void AssertEnvelopes(List<UsageEventMessage> events, IReadOnlyList<UsageQueueBatch> batches, int maxBytes, Func<ReadOnlyMemory<byte>, byte[]> json)
    {
        Assert.True(batches.Count > 3, $"{batches.Count} batches");
        var next = 0;
        foreach (var batch in batches)
        {
            var expected = new List<byte>(Encoding.UTF8.GetBytes($"{{\"schemaVersion\":2,\"batchId\":\"{batch.BatchId}\",\"events\":["));
            for (var i = 0; i < batch.EventCount; i++)
            {
                if (i > 0)
                {
                    expected.Add((byte)',');
                }

                expected.AddRange(QueueContextJson(events[next++]));
            }

            expected.AddRange("]}"u8.ToArray());
            Assert.Equal(System.Text.Encoding.UTF8.GetString(expected.ToArray()), System.Text.Encoding.UTF8.GetString(json(batch.Body)));
            Assert.InRange(batch.Body.Length, 1, maxBytes);
        }

        Assert.Equal(events.Count, next);
    }

    private static byte[] QueueContextJson(UsageEventMessage message)
        => JsonSerializer.SerializeToUtf8Bytes(message, UsageJsonContext.Queue.UsageEventMessage);

    private static UsageEventMessage Rich(int i, string text) => new()
    {
        EventId = "e-" + i,
        CreatedAtUnixMs = 1_700_000_000_123 + i,
        KeyId = "key-" + text,
        Tags = ["a", text],
        Provider = "openai",
        SettingId = "setting",
        Model = "gpt-4o " + text,
        DeploymentId = "dep",
        Path = "/api/providers/openai/v1/chat/completions",
        Method = "POST",
        Status = 200 + i,
        LatencyMs = 42,
        CustomId = text,
        Metadata = text,
        UserId = text,
        EndUserId = "end-user",
        RouteId = "route",
        CorrelationId = "corr",
        Action = "redacted",
        PolicyId = "policy",
        PiiEntities = new Dictionary<string, int> { ["EMAIL"] = 2, [text] = i },
        Cached = i % 2 == 0,
        Streamed = true,
        ClientDisconnected = i % 3 == 0,
        Usage = new TokenUsage { PromptTokens = 1, CompletionTokens = 2, CachedPromptTokens = 3, ReasoningTokens = 4, CacheCreationInputTokens = 5, CacheReadInputTokens = 6 },
        PromptText = text,
        CompletionText = text,
        AudioSeconds = 1.5 + (i / 3.0),
        SpeechCharacters = 7,
        ImageCount = 2,
        ImageSize = "1024x1024",
        ImageQuality = "hd",
        RequestBody = text,
        ResponseBody = text,
    };
}
