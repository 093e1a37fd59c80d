using Azure.Storage.Queues;
using Gateway.Domain.Usage;
using Gateway.Domain.Usage.Publishing;
using Gateway.Domain.Usage.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Usage.Benchmarks;

/// <summary>The proxy's publisher and transport, wired as the proxy wires them, and what the benchmarks count with.</summary>
internal static class PublisherSetup
{
    public static ServiceProvider Build(string storage, string queue, string spillFolder, Action<ILoggingBuilder>? logging = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["UsageQueueStorage"] = storage,
            ["UsageQueueName"] = queue,
            ["UsagePublisher:SpillFolder"] = spillFolder,
        }).Build();
        return new ServiceCollection()
            .AddLogging(b => (logging ?? (static l => l.AddConsole().SetMinimumLevel(LogLevel.Warning)))(b))
            .AddGatewayUsageTransport(configuration)
            .AddGatewayUsagePublisher(configuration)
            .BuildServiceProvider();
    }

    public static UsageEventMessage Event(string run, long i) => Gateway.Testing.UsageTestEvents.Chat(run, i);

    /// <summary>Event ids on the queue (batch envelopes or single events), read without deleting.</summary>
    public static async Task<HashSet<string>> QueuedEventIdsAsync(string storage, string queue)
    {
        var client = new QueueClient(storage, queue, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        var ids = new HashSet<string>(StringComparer.Ordinal);
        if (!await client.ExistsAsync())
        {
            return ids;
        }

        while ((await client.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(10))).Value is { Length: > 0 } messages)
        {
            foreach (var message in messages)
            {
                // The ingest's decoder: messages are gzip unless UsageTransport__Compression=none.
                ids.UnionWith(UsageBatchDecoder.Decode(message.Body.ToMemory()).Events.Select(e => e.EventId));
            }
        }

        return ids;
    }

    /// <summary>Event ids in the spill store's files (a torn last line is not counted).</summary>
    public static HashSet<string> SpilledEventIds(string spillFolder)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.Exists(spillFolder) ? Directory.GetFiles(spillFolder, "*.jsonl", SearchOption.AllDirectories) : [])
        {
            foreach (var line in File.ReadLines(file))
            {
                if (UsageMessageCodec.TryParse(line, out _) is { } message)
                {
                    ids.Add(message.EventId);
                }
            }
        }

        return ids;
    }
}
