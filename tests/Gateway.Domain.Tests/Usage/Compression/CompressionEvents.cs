using System.Text;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Options;

namespace Gateway.Domain.Tests.Usage.Compression;

/// <summary>Events and encoders for the compression tests.</summary>
internal static class CompressionEvents
{
    private static readonly DateTimeOffset Start = new(2026, 11, 30, 4, 0, 0, TimeSpan.Zero);

    /// <summary>An encoder whose claim-check store is never reached (no event here is over the budget).</summary>
    public static UsageBatchEncoder Encoder(UsageCompression compression)
        => new(new UsageClaimCheckStore(new UsageQueueClients(Options.Create(new UsageTransportOptions { StorageConnectionString = UsageTransportOptions.DevelopmentStorage }), TimeProvider.System)), compression);

    /// <summary>What the benchmark's proxy publishes per request (about 550 bytes of JSON): openai, gpt-4o-mini, no tags, 5/5 tokens.</summary>
    public static UsageEventMessage BenchmarkLike(int i) => new()
    {
        EventId = Guid.CreateVersion7(Start.AddMilliseconds(i)).ToString(),
        CreatedAtUnixMs = Start.AddMilliseconds(i).ToUnixTimeMilliseconds(),
        KeyId = "5f1c2d8e-3b7a-4c1e-9d2f-8a6b4e0c7d31",
        Tags = [],
        Provider = "openai",
        SettingId = "0b9e4c7e-6f0e-4a53-9a55-3c1f7c1d1a10",
        Model = "gpt-4o-mini",
        Path = "/api/providers/openai/v1/chat/completions",
        Method = "POST",
        Status = 200,
        LatencyMs = 1 + (i * 7 % 40),
        Usage = new TokenUsage { PromptTokens = 5, CompletionTokens = 5 },
    };

    /// <summary>
    /// An event whose custom id and metadata are random text: printable ASCII (which the fastest gzip
    /// level codes in 8 bits a byte: no gain) or CJK (UTF-8 bytes it codes in 9 bits: gzip grows it).
    /// </summary>
    public static UsageEventMessage Random(int i, Random random, int chars, bool cjk)
    {
        var text = new StringBuilder(chars);
        for (var c = 0; c < chars; c++)
        {
            text.Append(cjk ? (char)random.Next(0x4E00, 0x9FFF) : (char)random.Next('0', 'z' + 1));
        }

        var message = BenchmarkLike(i);
        message.CustomId = text.ToString(0, Math.Min(64, chars));
        message.Metadata = "\"" + text + "\"";
        return message;
    }

    /// <summary>The envelope as the uncompressed form writes it: prefix, the events' JSON joined by commas, suffix.</summary>
    public static string Envelope(string batchId, IEnumerable<UsageEventMessage> events)
        => $"{{\"schemaVersion\":2,\"batchId\":\"{batchId}\",\"events\":[" + string.Join(",", events.Select(e => Encoding.UTF8.GetString(UsageMessageCodec.Serialize(e)))) + "]}";
}
