using System.Globalization;
using Gateway.Domain.Usage;

namespace Gateway.Testing;

/// <summary>Usage events for publisher tests and benchmarks, and a storage account that is down.</summary>
public static class UsageTestEvents
{
    /// <summary>A typical chat event, id <c>{run}-{i:D8}</c> (so that a run's events can be counted), optionally with a logged request body.</summary>
    public static UsageEventMessage Chat(string run, long i, int bodyChars = 0) => new()
    {
        EventId = run + "-" + i.ToString("D8", CultureInfo.InvariantCulture),
        CreatedAtUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
        KeyId = "key-" + (i % 50).ToString(CultureInfo.InvariantCulture),
        Tags = ["team-a"],
        Provider = "openai",
        SettingId = "0b9e4c7e-6f0e-4a53-9a55-3c1f7c1d1a10",
        Model = "gpt-4o-mini",
        Path = "/api/providers/openai/v1/chat/completions",
        Method = "POST",
        Status = 200,
        LatencyMs = 300,
        Usage = new TokenUsage { PromptTokens = 1000, CompletionTokens = 200 },
        RequestBody = bodyChars > 0 ? new string('x', bodyChars) : null,
    };

    /// <summary>The number <see cref="Chat"/> put in an event id.</summary>
    public static int Number(string eventId)
        => int.Parse(eventId.AsSpan(eventId.LastIndexOf('-') + 1), CultureInfo.InvariantCulture);

    /// <summary>A storage connection string whose endpoints refuse connections (a free loopback port): the queue is down.</summary>
    public static string UnreachableStorage()
    {
        var port = LoopbackProcess.FreePort();
        return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
            + $"BlobEndpoint=http://127.0.0.1:{port}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:{port}/devstoreaccount1;";
    }
}
